#pragma once
// Spreading a sweep over MPI ranks (`mpirun -np N npusim sweep ...`): rank 0 decides which
// points still need running and broadcasts them; every rank runs its share (round robin) with
// its own process pool; rank 0 gathers every record and writes the results, so the output is
// the same as a local run's. Without MPI support, or outside mpirun, a single rank.
#include <cstddef>
#include <string>
#include <vector>

namespace npu {

struct MpiRanks {
    int rank = 0;
    int size = 1;
    bool active = false;
};

// Initializes MPI only when launched by mpirun (its environment variables are set).
MpiRanks mpi_start(int* argc, char*** argv);
void mpi_stop(const MpiRanks& ranks);
bool mpi_available();

std::vector<size_t> mpi_broadcast(const MpiRanks& ranks, std::vector<size_t> values);
// Every rank's strings, concatenated in rank order, on rank 0 (other ranks get theirs back).
std::vector<std::string> mpi_gather(const MpiRanks& ranks, const std::vector<std::string>& mine);

}  // namespace npu
