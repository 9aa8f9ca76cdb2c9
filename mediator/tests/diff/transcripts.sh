# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the differential runners (run_diff.sh here, wasm/tests/diff/run_wasi_diff.sh):
# the comparison of a variant's transcript with the native one.

# diff_compare TAG DIR SIDE [LABEL]: DIR/SIDE.out must equal DIR/native.out byte for byte
# and the "stdio-err:" lines of DIR/SIDE.err those of DIR/native.err; otherwise the
# difference (and the tail of SIDE's stderr) goes to stderr and the runner exits 1.
# LABEL names SIDE in the messages (default: SIDE).
diff_compare() {
	local tag=$1 dir=$2 side=$3 label=${4:-$3}
	if ! diff -u "$dir/native.out" "$dir/$side.out" >&2; then
		echo "$tag: transcripts differ (native vs $label)" >&2
		echo "---- $label stderr ----" >&2
		tail -n 40 "$dir/$side.err" >&2
		exit 1
	fi
	if ! diff -u <(grep '^stdio-err:' "$dir/native.err" || true) \
		<(grep '^stdio-err:' "$dir/$side.err" || true) >&2; then
		echo "$tag: stderr lines differ (native vs $label)" >&2
		exit 1
	fi
}
