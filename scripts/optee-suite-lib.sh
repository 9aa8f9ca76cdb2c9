# SPDX-License-Identifier: BSD-2-Clause
# Sourced by scripts/optee-xtest.sh and scripts/optee-examples.sh: the set-up of a run of
# one of OP-TEE's suites against an install of this tree.
#
# optee_suite_setup NAME CHECKOUT BUILD: makes a scratch directory ($TMPDIR/NAME.XXXXXX),
# installs BUILD (a configured, built tree) into $scratch/prefix with `cmake --install`
# (libteec.so also under $prefix/lib, where OPTEE_CLIENT_EXPORT and TEEC_EXPORT want it)
# and copies CHECKOUT to $scratch/src (the checkout is never written). Sets scratch,
# prefix, kit (the TA dev kit) and src; exports a private TEE (TZM_RUNTIME_DIR,
# TZM_STATE_DIR, TZM_TA_DIR in the scratch directory, its core stopped at exit) and
# LD_LIBRARY_PATH. Exits 1 if the install fails.
optee_suite_setup() {
	local name=$1 checkout=$2 build=$3 libdir
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
	prefix=$scratch/prefix
	kit=$prefix/share/tzmediator/ta_dev_kit
	src=$scratch/src
	export TZM_RUNTIME_DIR=$scratch/run TZM_STATE_DIR=$scratch/state TZM_TA_DIR=$scratch/ta
	mkdir -m 700 "$TZM_RUNTIME_DIR" "$TZM_STATE_DIR"
	mkdir -p "$TZM_TA_DIR" "$src"
	trap optee_suite_stop_tee EXIT

	echo "scratch directory: $scratch"
	cmake --install "$build" --prefix "$prefix" >"$scratch/install.log" 2>&1 || {
		tail -20 "$scratch/install.log" >&2
		echo "$0: cmake --install failed" >&2
		exit 1
	}
	libdir=$(dirname "$(ls "$prefix"/lib*/libteec.so | head -n1)")
	if [ "$libdir" != "$prefix/lib" ]; then
		mkdir -p "$prefix/lib"
		ln -sf "$libdir"/libteec.so* "$prefix/lib/"
	fi
	export LD_LIBRARY_PATH=$prefix/lib
	cp -r "$checkout"/. "$src/"
}

# The private TEE's core, if it was started.
optee_suite_stop_tee() {
	if [ -s "$TZM_RUNTIME_DIR/tzm-teed.pid" ]; then
		kill "$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")" 2>/dev/null || true
	fi
}
