# Runs one command and checks its exit code and output (ctest's PASS_REGULAR_EXPRESSION alone
# would ignore the exit code). Usage:
#   cmake -DEXPECT_RC=N -DEXPECT_REGEX=RE [-DCHECK_FILE=F -DFILE_REGEX=RE] -P run_check.cmake -- CMD...
# EXPECT_REGEX is matched against stdout + stderr, FILE_REGEX against the contents of CHECK_FILE.
set(CMD)
set(in_cmd FALSE)
foreach(i RANGE 1 ${CMAKE_ARGC})
  if(in_cmd AND DEFINED CMAKE_ARGV${i})
    list(APPEND CMD "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(in_cmd TRUE)
  endif()
endforeach()
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                TIMEOUT 300)
message("${out}${err}")
if(NOT "${rc}" STREQUAL "${EXPECT_RC}")
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_RC}")
endif()
if(DEFINED EXPECT_REGEX AND NOT "${out}${err}" MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "output does not match '${EXPECT_REGEX}'")
endif()
if(DEFINED CHECK_FILE)
  file(READ ${CHECK_FILE} text)
  if(NOT text MATCHES "${FILE_REGEX}")
    message(FATAL_ERROR "${CHECK_FILE} does not match '${FILE_REGEX}'")
  endif()
endif()
