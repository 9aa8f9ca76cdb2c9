# SPDX-License-Identifier: BSD-2-Clause
# CMake helper for building Trusted Applications for tzmediator's emulated TEE.
#
#   tzm_add_ta(<uuid> SOURCES <files...>
#              [INCLUDE_DIRECTORIES <dirs...>]   # one of them holds user_ta_header_defines.h
#              [COMPILE_DEFINITIONS <defs...>] [COMPILE_OPTIONS <opts...>]
#              [LINK_LIBRARIES <static libs...>]  # e.g. targets from tzm_add_ta_library()
#              [OUTPUT_DIRECTORY <dir>]           # default: TZM_BUILD_TA_DIR, else the
#                                                 # current binary dir
#              [TARGET_NAME <name>]               # default: ta-<uuid>
#              [INSTALL])                         # install <uuid>.ta into TZM_INSTALL_TA_DIR
#   tzm_add_ta_library(<name> SOURCES <files...> [INCLUDE_DIRECTORIES ...]
#              [COMPILE_DEFINITIONS ...] [COMPILE_OPTIONS ...])
#
# A TA is an ELF shared object (sources + the dev kit's user_ta_header.c) wrapped by
# tzm-ta-pack into <uuid>.ta. Its TEE_* references stay undefined and are bound at load
# time to the API that tzm-ta-host exports. The flag hygiene below is not cosmetic:
#  * -nostartfiles: no crti/crtbegin, hence no .init/.fini code; the loader refuses ELF
#    initializers because they would run before the sandbox is in place.
#  * -Wl,-Bsymbolic: the TA's own definitions (e.g. libtzm's POSIX functions) bind inside
#    the TA instead of to the identically named libc symbols of the host process.
#  * no sanitizer flags, even with TZM_SANITIZE=ON: the sanitizer runtimes need ELF
#    initializers and syscalls the sandbox refuses. Directory-level options are therefore
#    dropped from TA targets and only the warning set is re-added.
#  * _FORTIFY_SOURCE off: keeps TAs independent of glibc's __*_chk entry points.
#  * aarch64: -mno-outline-atomics (libgcc's outline atomics carry an ELF initializer).
#
# This file works in the source tree (tee/devkit/CMakeLists.txt sets the TZM_TA_* cache
# variables first) and installed as <prefix>/share/tzmediator/cmake/TzmTa.cmake, where it
# finds the dev kit beside itself (<prefix>/share/tzmediator/ta_dev_kit).
include_guard(GLOBAL)
include(CheckCCompilerFlag)

if(NOT TZM_TA_INCLUDE_DIR)
  # Installed use: locate the dev kit relative to this file.
  get_filename_component(_tzm_kit "${CMAKE_CURRENT_LIST_DIR}/../ta_dev_kit" ABSOLUTE)
  if(NOT EXISTS "${_tzm_kit}/mk/ta_dev_kit.mk")
    message(FATAL_ERROR "TzmTa.cmake: TA dev kit not found at ${_tzm_kit}; set "
                        "TZM_TA_INCLUDE_DIR, TZM_TA_HEADER_SRC and TZM_TA_PACK")
  endif()
  set(TZM_TA_DEV_KIT_DIR "${_tzm_kit}" CACHE PATH "tzmediator TA dev kit")
  set(TZM_TA_INCLUDE_DIR "${_tzm_kit}/include" CACHE PATH "TA headers")
  set(TZM_TA_HEADER_SRC "${_tzm_kit}/src/user_ta_header.c" CACHE FILEPATH
      "user_ta_header.c of the dev kit")
  set(TZM_TA_PACK "${_tzm_kit}/bin/tzm-ta-pack" CACHE FILEPATH "tzm-ta-pack")
  if(EXISTS "${_tzm_kit}/lib/ta_api.syms")
    set(TZM_TA_API_SYMS "${_tzm_kit}/lib/ta_api.syms" CACHE FILEPATH
        "functions the TEE provides to TAs")
  endif()
  set(TZM_TA_PACK_WRAPPER "" CACHE STRING "Command prefix to run tzm-ta-pack")
endif()

# Gives a target the TA compile flags (and nothing inherited from the directory). The
# flag lists live inside the function because callers in other directories do not see
# variables of the directory that included this file.
function(_tzm_ta_flags tgt)
  set(warn -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
           -fno-strict-aliasing)
  if(TZM_WERROR)
    list(APPEND warn -Werror)
  endif()
  set_property(TARGET ${tgt} PROPERTY COMPILE_OPTIONS "")
  set_property(TARGET ${tgt} PROPERTY LINK_OPTIONS "")
  set_property(TARGET ${tgt} PROPERTY POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${tgt} PRIVATE ${warn} -fPIC -fstack-protector-strong
                         -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0)
  # Where the compiler implements it: gcc, and clang on x86-64 (clang 14 for aarch64 only
  # warns that the flag is unused: -Werror makes the check see that).
  set(CMAKE_REQUIRED_FLAGS -Werror)
  check_c_compiler_flag(-fstack-clash-protection TZM_TA_CC_STACK_CLASH)
  if(TZM_TA_CC_STACK_CLASH)
    target_compile_options(${tgt} PRIVATE -fstack-clash-protection)
  endif()
  # Reproducible: the project's directories (the caller's: a function sees its caller's
  # CMAKE_CURRENT_*) and the kit's are not written into the debug information, so the same
  # sources, flags and kit give the same .ta wherever they are built (as ta_dev_kit.mk).
  # The binary directory (often inside the source directory) comes last: gcc applies the
  # last matching map, clang the longest. In tzmediator's own tree, its whole source and
  # build trees first (tee/devkit/CMakeLists.txt: TZM_TA_TREE_PREFIX_MAP).
  if(TZM_TA_TREE_PREFIX_MAP)
    target_compile_options(${tgt} PRIVATE ${TZM_TA_TREE_PREFIX_MAP})
  endif()
  target_compile_options(${tgt} PRIVATE -ffile-prefix-map=${CMAKE_CURRENT_SOURCE_DIR}=.
                         -ffile-prefix-map=${CMAKE_CURRENT_BINARY_DIR}=.)
  if(TZM_TA_DEV_KIT_DIR)
    target_compile_options(${tgt} PRIVATE -ffile-prefix-map=${TZM_TA_DEV_KIT_DIR}=ta_dev_kit)
  endif()
  # aarch64: gcc and clang call libgcc's outline atomics, whose lse-init.o brings an ELF
  # initializer (init_have_lse_atomics) that the loader refuses; inline atomics instead.
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
    target_compile_options(${tgt} PRIVATE -mno-outline-atomics)
  endif()
  # TA headers first so that <trace.h>, <compiler.h> resolve to the TEE's.
  target_include_directories(${tgt} BEFORE PRIVATE ${TZM_TA_INCLUDE_DIR})
endfunction()

function(tzm_add_ta_library name)
  cmake_parse_arguments(L "" ""
                        "SOURCES;INCLUDE_DIRECTORIES;COMPILE_DEFINITIONS;COMPILE_OPTIONS"
                        ${ARGN})
  if(NOT L_SOURCES)
    message(FATAL_ERROR "tzm_add_ta_library(${name}): SOURCES is required")
  endif()
  add_library(${name} STATIC ${L_SOURCES})
  _tzm_ta_flags(${name})
  if(L_INCLUDE_DIRECTORIES)
    target_include_directories(${name} PUBLIC ${L_INCLUDE_DIRECTORIES})
  endif()
  if(L_COMPILE_DEFINITIONS)
    target_compile_definitions(${name} PRIVATE ${L_COMPILE_DEFINITIONS})
  endif()
  if(L_COMPILE_OPTIONS)
    target_compile_options(${name} PRIVATE ${L_COMPILE_OPTIONS})
  endif()
endfunction()

function(tzm_add_ta uuid)
  cmake_parse_arguments(
    TA "INSTALL" "OUTPUT_DIRECTORY;TARGET_NAME"
    "SOURCES;INCLUDE_DIRECTORIES;COMPILE_DEFINITIONS;COMPILE_OPTIONS;LINK_LIBRARIES" ${ARGN})
  set(hex "[0-9a-f]")
  if(NOT uuid MATCHES "^${hex}${hex}${hex}${hex}${hex}${hex}${hex}${hex}-${hex}${hex}${hex}${hex}-${hex}${hex}${hex}${hex}-${hex}${hex}${hex}${hex}-${hex}${hex}${hex}${hex}${hex}${hex}${hex}${hex}${hex}${hex}${hex}${hex}$")
    message(FATAL_ERROR "tzm_add_ta: '${uuid}' is not a lower-case canonical UUID")
  endif()
  if(NOT TA_SOURCES)
    message(FATAL_ERROR "tzm_add_ta(${uuid}): SOURCES is required")
  endif()
  if(TA_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tzm_add_ta(${uuid}): unknown arguments ${TA_UNPARSED_ARGUMENTS}")
  endif()
  set(name ${TA_TARGET_NAME})
  if(NOT name)
    set(name ta-${uuid})
  endif()
  set(outdir ${TA_OUTPUT_DIRECTORY})
  if(NOT outdir)
    if(TZM_BUILD_TA_DIR)
      set(outdir ${TZM_BUILD_TA_DIR})
    else()
      set(outdir ${CMAKE_CURRENT_BINARY_DIR})
    endif()
  endif()

  # The ELF shared object. Kept out of the TA directory: only .ta files belong there.
  set(elf ${name}-elf)
  add_library(${elf} MODULE ${TA_SOURCES} ${TZM_TA_HEADER_SRC})
  _tzm_ta_flags(${elf})
  set_target_properties(${elf} PROPERTIES
    PREFIX "" OUTPUT_NAME ${uuid} SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/${name}
    C_VISIBILITY_PRESET default)
  if(TA_INCLUDE_DIRECTORIES)
    target_include_directories(${elf} PRIVATE ${TA_INCLUDE_DIRECTORIES})
  endif()
  if(TA_COMPILE_DEFINITIONS)
    target_compile_definitions(${elf} PRIVATE ${TA_COMPILE_DEFINITIONS})
  endif()
  if(TA_COMPILE_OPTIONS)
    target_compile_options(${elf} PRIVATE ${TA_COMPILE_OPTIONS})
  endif()
  # Undefined TEE_* symbols are allowed (default for shared objects): they bind to
  # tzm-ta-host at load time.
  target_link_options(${elf} PRIVATE -nostartfiles -Wl,-Bsymbolic -Wl,-z,noexecstack
                      -Wl,-z,relro -Wl,-z,now)
  if(TA_LINK_LIBRARIES)
    target_link_libraries(${elf} PRIVATE ${TA_LINK_LIBRARIES})
  endif()

  # Pack into <uuid>.ta. In the source tree TZM_TA_PACK is a build-machine binary (a
  # native copy in cross builds) made by TZM_TA_PACK_TARGET; installed, it is the kit's
  # bin/tzm-ta-pack, run through TZM_TA_PACK_WRAPPER if set (e.g. an emulator).
  if(NOT TZM_TA_PACK)
    message(FATAL_ERROR "tzm_add_ta(${uuid}): no tzm-ta-pack (set TZM_TA_PACK)")
  endif()
  separate_arguments(pack_cmd UNIX_COMMAND "${TZM_TA_PACK_WRAPPER}")
  list(APPEND pack_cmd ${TZM_TA_PACK})
  set(pack_dep ${TZM_TA_PACK})
  if(TZM_TA_PACK_TARGET AND TARGET ${TZM_TA_PACK_TARGET})
    list(APPEND pack_dep ${TZM_TA_PACK_TARGET})
  endif()
  # A TA importing a TEE function that tzm-ta-host does not export fails here, named.
  if(TZM_TA_API_SYMS)
    list(APPEND pack_cmd --api ${TZM_TA_API_SYMS})
    list(APPEND pack_dep ${TZM_TA_API_SYMS})
    if(TZM_TA_API_SYMS_TARGET AND TARGET ${TZM_TA_API_SYMS_TARGET})
      list(APPEND pack_dep ${TZM_TA_API_SYMS_TARGET})
    endif()
  endif()
  set(ta_file ${outdir}/${uuid}.ta)
  add_custom_command(
    OUTPUT ${ta_file}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND ${pack_cmd} --uuid ${uuid} --in $<TARGET_FILE:${elf}> --out ${ta_file}
    DEPENDS ${elf} ${pack_dep}
    COMMENT "Packing TA ${uuid}.ta"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${ta_file})
  set_target_properties(${name} PROPERTIES TZM_TA_FILE ${ta_file} TZM_TA_UUID ${uuid}
                                           TZM_TA_ELF_TARGET ${elf})
  if(TA_INSTALL)
    if(NOT TZM_INSTALL_TA_DIR)
      set(TZM_INSTALL_TA_DIR lib/optee_armtz)
    endif()
    install(FILES ${ta_file} DESTINATION ${TZM_INSTALL_TA_DIR})
  endif()
endfunction()
