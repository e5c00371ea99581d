// Catch2 entry point shared by the test executables. SystemC's library calls sc_main, so the
// session runs inside it; the SystemC banner is switched off before the library can print it.
// A SystemC warning (a deprecated call, a process that cannot be created, a time resolution
// problem) throws, so the test that caused it fails instead of printing and passing.
#define CATCH_CONFIG_RUNNER
#include <systemc>

#include <catch2/catch.hpp>
#include <cstdlib>

int sc_main(int argc, char* argv[]) {
    sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DISPLAY | sc_core::SC_THROW);
    return Catch::Session().run(argc, argv);
}

int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}
