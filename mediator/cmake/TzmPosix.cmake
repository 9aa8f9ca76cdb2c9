# SPDX-License-Identifier: BSD-2-Clause
# tzm_add_posix_program(NAME <name> UUID <uuid> SOURCES <files...>
#                       [INCLUDE_DIRECTORIES <dirs...>] [COMPILE_DEFINITIONS <defs...>]
#                       [POLICY <file>] [NO_TA])
#
# Builds one plain POSIX program three ways from the same sources:
#   <name>            native executable
#   <name>-local      the program over the mediator's local test transport (no TEE):
#                     run it with `tzm-run --local $<TARGET_FILE:<name>-local> -- args`
#   <uuid>.ta         the program as a TA linked with libtzm (target <name>-ta), placed in
#                     TZM_BUILD_TA_DIR; run it with `tzm-run [--policy P] <uuid> -- args`
# The TA gets a generated user_ta_header_defines.h: not single-instance (each tzm-run gets
# its own instance), 256 KiB stack, 4 MiB data. POLICY (absolute path) is recorded as the
# target property TZM_POLICY for tests to use.
include_guard(GLOBAL)

set(_TZM_POSIX_TEMPLATE_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")

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
  add_executable(${P_NAME}-local ${P_SOURCES})
  foreach(t ${P_NAME} ${P_NAME}-local)
    if(P_INCLUDE_DIRECTORIES)
      target_include_directories(${t} PRIVATE ${P_INCLUDE_DIRECTORIES})
    endif()
    if(P_COMPILE_DEFINITIONS)
      target_compile_definitions(${t} PRIVATE ${P_COMPILE_DEFINITIONS})
    endif()
  endforeach()
  target_compile_options(${P_NAME}-local PRIVATE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0)
  target_link_options(${P_NAME}-local PRIVATE -Wl,--wrap=main)
  target_link_libraries(${P_NAME}-local PRIVATE
                        "$<LINK_LIBRARY:WHOLE_ARCHIVE,tzm_posix_local>")

  if(P_POLICY)
    get_filename_component(pol ${P_POLICY} ABSOLUTE)
    set_target_properties(${P_NAME} PROPERTIES TZM_POLICY ${pol})
  endif()

  if(P_NO_TA OR NOT P_UUID OR NOT TARGET tzm_ta_lib OR NOT COMMAND tzm_add_ta)
    return()
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
  configure_file(${_TZM_POSIX_TEMPLATE_DIR}/user_ta_header_defines.h.in
                 ${gen}/user_ta_header_defines.h @ONLY)
  tzm_add_ta(${P_UUID} SOURCES ${P_SOURCES} TARGET_NAME ${P_NAME}-ta
             INCLUDE_DIRECTORIES ${gen} ${P_INCLUDE_DIRECTORIES}
             COMPILE_DEFINITIONS ${P_COMPILE_DEFINITIONS} TZM_POSIX_TA=1
             LINK_LIBRARIES "$<LINK_LIBRARY:WHOLE_ARCHIVE,tzm_ta_lib>")
endfunction()
