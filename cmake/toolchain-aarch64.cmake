# SPDX-License-Identifier: BSD-2-Clause
# Cross-compilation for aarch64 Linux (Cortex-A class boards) with Debian's
# gcc-aarch64-linux-gnu and arm64 multiarch -dev packages. Tests run under qemu-aarch64
# user emulation; tzm-teed and the TA host are started through TZM_EXEC_WRAPPER.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
# Debian multiarch: arm64 -dev packages install into /usr/lib/aarch64-linux-gnu and
# /usr/include/aarch64-linux-gnu, so the search root is / with the library architecture
# set (a root of /usr/aarch64-linux-gnu would only see libc, not libssl/libseccomp).
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH / /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_SYSROOT_DIR} /)
# Run-time prefix is "/" (the arm64 multiarch libc6:arm64, which the arm64 -dev packages
# pull in), not /usr/aarch64-linux-gnu: with that prefix qemu takes ld.so from the cross
# libc (libc6-arm64-cross, an older Debian revision) but libc.so.6 and the rest from
# /lib/aarch64-linux-gnu, and the mismatched ld.so/libc pair hangs in fork().
# An absolute path: the wrapper is also exec'd by programs with no PATH search
# (posix_spawn in tzm-teed) or a minimal environment.
find_program(TZM_QEMU_AARCH64 qemu-aarch64 NO_CMAKE_FIND_ROOT_PATH)
if(NOT TZM_QEMU_AARCH64)
  set(TZM_QEMU_AARCH64 /usr/bin/qemu-aarch64)
endif()
set(TZM_QEMU_WRAPPER "${TZM_QEMU_AARCH64} -L /" CACHE STRING
    "Command prefix used to run aarch64 binaries on the build machine")
set(CMAKE_CROSSCOMPILING_EMULATOR ${TZM_QEMU_AARCH64} -L /)
