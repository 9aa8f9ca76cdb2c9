# SPDX-License-Identifier: BSD-2-Clause
# tzm_add_posix_program(NAME <name> UUID <uuid> SOURCES <files...>
#                       [INCLUDE_DIRECTORIES <dirs...>] [COMPILE_DEFINITIONS <defs...>]
#                       [POLICY <file>] [NO_TA])
#
# Builds one plain POSIX program several ways from the same sources:
#   <name>            native executable
#   <name>-local      the program over the mediator's local test transport (no TEE):
#                     run it with `tzm-run --local $<TARGET_FILE:<name>-local> -- args`
#   <name>-realm      the program as a realm image (in-tree): the same executable linked
#                     with libtzm's realm entry; `tzm realm run [--policy P] IMAGE -- args`
#   <uuid>.ta         the program as a TA linked with libtzm (target <name>-ta), placed in
#                     TZM_BUILD_TA_DIR; run it with `tzm-run [--policy P] <uuid> -- args`
# The TA gets a generated user_ta_header_defines.h: not single-instance (each tzm-run gets
# its own instance), 256 KiB stack, 4 MiB data. POLICY (absolute path) is recorded as the
# target property TZM_POLICY for tests to use.
#
# Installed use (include(<prefix>/share/tzmediator/cmake/TzmPosix.cmake) from any project):
# TzmTa.cmake beside this file provides tzm_add_ta(), the TA links the installed libtzm.a
# (imported target tzm::libtzm), and the .ta goes to the current binary directory. The
# -local variant needs the build tree's test transport and exists only in-tree.
# The dev-kit twin of this function is CFG_TZM_POSIX=y (mediator/devkit/tzm_posix.mk.in).
include_guard(GLOBAL)

set(_TZM_POSIX_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")
if(NOT COMMAND tzm_add_ta AND EXISTS ${CMAKE_CURRENT_LIST_DIR}/TzmTa.cmake)
  include(${CMAKE_CURRENT_LIST_DIR}/TzmTa.cmake)
endif()

# Installed use: libtzm.a of the prefix this file was installed into
# (<prefix>/share/tzmediator/cmake -> <prefix>/lib*).
function(_tzm_posix_import_libtzm)
  if(TARGET tzm::libtzm)
    return()
  endif()
  get_filename_component(prefix "${_TZM_POSIX_DIR}/../../.." ABSOLUTE)
  file(GLOB_RECURSE found LIST_DIRECTORIES false "${prefix}/lib*/libtzm.a")
  if(NOT found)
    return()
  endif()
  list(GET found 0 lib)
  add_library(tzm::libtzm STATIC IMPORTED GLOBAL)
  set_target_properties(tzm::libtzm PROPERTIES IMPORTED_LOCATION ${lib})
endfunction()

function(tzm_add_posix_program)
  cmake_parse_arguments(P "NO_TA" "NAME;UUID;POLICY"
                        "SOURCES;INCLUDE_DIRECTORIES;COMPILE_DEFINITIONS" ${ARGN})
  if(NOT P_NAME OR NOT P_SOURCES)
    message(FATAL_ERROR "tzm_add_posix_program: NAME and SOURCES are required")
  endif()
  if(P_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tzm_add_posix_program(${P_NAME}): unknown ${P_UNPARSED_ARGUMENTS}")
  endif()

  add_executable(${P_NAME} ${P_SOURCES})
  set(variants ${P_NAME})
  if(TARGET tzm_posix_local)
    add_executable(${P_NAME}-local ${P_SOURCES})
    list(APPEND variants ${P_NAME}-local)
  endif()
  if(TARGET tzm_posix_realm)
    add_executable(${P_NAME}-realm ${P_SOURCES})
    list(APPEND variants ${P_NAME}-realm)
  endif()
  foreach(t ${variants})
    if(P_INCLUDE_DIRECTORIES)
      target_include_directories(${t} PRIVATE ${P_INCLUDE_DIRECTORIES})
    endif()
    if(P_COMPILE_DEFINITIONS)
      target_compile_definitions(${t} PRIVATE ${P_COMPILE_DEFINITIONS})
    endif()
  endforeach()
  if(TARGET ${P_NAME}-local)
    target_compile_options(${P_NAME}-local PRIVATE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0)
    target_link_options(${P_NAME}-local PRIVATE -Wl,--wrap=main)
    target_link_libraries(${P_NAME}-local PRIVATE
                          "$<LINK_LIBRARY:WHOLE_ARCHIVE,tzm_posix_local>")
  endif()
  if(TARGET ${P_NAME}-realm)
    target_compile_options(${P_NAME}-realm PRIVATE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0)
    # TZM_POSIX_REALM: the program may use what a realm adds (tzm_attest_token())
    target_compile_definitions(${P_NAME}-realm PRIVATE TZM_POSIX_REALM=1)
    if(EXISTS ${CMAKE_SOURCE_DIR}/tee/ta_include)
      target_include_directories(${P_NAME}-realm PRIVATE ${CMAKE_SOURCE_DIR}/tee/ta_include)
    endif()
    target_link_options(${P_NAME}-realm PRIVATE -Wl,--wrap=main)
    target_link_libraries(${P_NAME}-realm PRIVATE
                          "$<LINK_LIBRARY:WHOLE_ARCHIVE,tzm_posix_realm>")
  endif()

  if(P_POLICY)
    get_filename_component(pol ${P_POLICY} ABSOLUTE)
    set_target_properties(${P_NAME} PROPERTIES TZM_POLICY ${pol})
  endif()

  if(TARGET tzm_ta_lib)
    set(libtzm tzm_ta_lib)
  else()
    _tzm_posix_import_libtzm()
    set(libtzm tzm::libtzm)
  endif()
  if(P_NO_TA OR NOT P_UUID OR NOT TARGET ${libtzm} OR NOT COMMAND tzm_add_ta)
    return()
  endif()
  # (CMake regexes have no {n} repetition)
  string(REPEAT "[0-9a-f]" 4 x4)
  if(NOT P_UUID MATCHES "^${x4}${x4}-${x4}-${x4}-${x4}-${x4}${x4}${x4}$")
    message(FATAL_ERROR "tzm_add_posix_program(${P_NAME}): UUID ${P_UUID} is not a "
                        "lower-case canonical UUID")
  endif()
  # user_ta_header_defines.h for this UUID
  string(REPLACE "-" "" hex ${P_UUID})
  string(SUBSTRING ${hex} 0 8 tl)
  string(SUBSTRING ${hex} 8 4 tm)
  string(SUBSTRING ${hex} 12 4 th)
  set(node "")
  foreach(i RANGE 16 30 2)
    string(SUBSTRING ${hex} ${i} 2 b)
    list(APPEND node "0x${b}")
  endforeach()
  string(REPLACE ";" ", " node "${node}")
  set(TZM_TA_UUID_INIT "{0x${tl}, 0x${tm}, 0x${th}, {${node}}}")
  set(TZM_TA_NAME ${P_NAME})
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/${P_NAME}-ta-include)
  # Inline (not a template file) so that the installed helper is this one file.
  file(CONFIGURE OUTPUT ${gen}/user_ta_header_defines.h @ONLY CONTENT [[
/* SPDX-License-Identifier: BSD-2-Clause */
/* Generated by tzm_add_posix_program() for @TZM_TA_NAME@: TA metadata of a libtzm TA. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID @TZM_TA_UUID_INIT@
/* not single instance: every tzm-run session gets a fresh instance of the program */
#define TA_FLAGS 0
#define TA_STACK_SIZE (256 * 1024)
#define TA_DATA_SIZE (4 * 1024 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "@TZM_TA_NAME@ (POSIX program via TZmediator)"

#endif
]])
  tzm_add_ta(${P_UUID} SOURCES ${P_SOURCES} TARGET_NAME ${P_NAME}-ta
             INCLUDE_DIRECTORIES ${gen} ${P_INCLUDE_DIRECTORIES}
             COMPILE_DEFINITIONS ${P_COMPILE_DEFINITIONS} TZM_POSIX_TA=1
             LINK_LIBRARIES "$<LINK_LIBRARY:WHOLE_ARCHIVE,${libtzm}>")
endfunction()
