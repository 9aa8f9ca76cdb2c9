# SPDX-License-Identifier: BSD-2-Clause
# Shell helper for test scripts that run built programs themselves (not through ctest's
# COMMAND). In a cross build, tzm_add_test sets TZM_EXEC_WRAPPER (e.g.
# "/usr/bin/qemu-aarch64 -L /"): there is no binfmt_misc on the build machines, so a
# foreign ELF must be started through the emulator or bash fails with "Exec format error".
# Natively TZM_EXEC_WRAPPER is unset and nothing changes.
#
#   . "$TZM_SOURCE_DIR/cmake/tzm-exec.sh"
#   tzm_exec "$TZM_BUILD_DIR/bin/tzm-run" --policy p.conf ...   # ELF: wrapped; script: not
#
# Where a function cannot be used (`exec`, `timeout`, `env`, `setsid` prefixes), put the
# words in front directly: exec ${TZM_EXEC_WRAPPER:-} "$bin" ... (unquoted on purpose).
# Only ELF files are wrapped: the emulator cannot run shell scripts.

tzm_is_elf() {
    [ -f "$1" ] && [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = "177ELF" ]
}

tzm_exec() {
    if [ -n "${TZM_EXEC_WRAPPER:-}" ] && tzm_is_elf "$1"; then
        # shellcheck disable=SC2086 # the wrapper is a list of words
        ${TZM_EXEC_WRAPPER} "$@"
    else
        "$@"
    fi
}
