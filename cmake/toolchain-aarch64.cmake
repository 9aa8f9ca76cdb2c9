# SPDX-License-Identifier: BSD-2-Clause
# Cross-compilation for aarch64 Linux (Cortex-A class boards) with Debian's
# gcc-aarch64-linux-gnu and arm64 multiarch -dev packages. Tests run under qemu-aarch64
# user emulation; tzm-teed and the TA host are started through TZM_EXEC_WRAPPER.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_SYSROOT_DIR} /)
set(TZM_QEMU_WRAPPER "qemu-aarch64 -L /usr/aarch64-linux-gnu" CACHE STRING
    "Command prefix used to run aarch64 binaries on the build machine")
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
