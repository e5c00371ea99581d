#pragma once
// Catch2 v2 has no SKIP: a test that cannot run here says why in a warning and returns; CTest
// marks it skipped through SKIP_REGULAR_EXPRESSION (tests/CMakeLists.txt).
#include <catch2/catch.hpp>

#define NPUSIM_SKIP(reason)                 \
    do {                                    \
        WARN("NPUSIM_SKIPPED: " << reason); \
        return;                             \
    } while (0)
