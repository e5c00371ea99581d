#include "sim/explore/sweep_mpi.h"

#include <cstdlib>

#include "common/error.h"

#ifdef NPUSIM_WITH_MPI
#include <mpi.h>
#endif

namespace npu {

namespace {

bool launched_by_mpirun() {
    return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

}  // namespace

#ifdef NPUSIM_WITH_MPI

bool mpi_available() { return true; }

MpiRanks mpi_start(int* argc, char*** argv) {
    MpiRanks r;
    if (!launched_by_mpirun()) return r;
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &r.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &r.size);
    r.active = true;
    return r;
}

void mpi_stop(const MpiRanks& r) {
    if (r.active) MPI_Finalize();
}

std::vector<size_t> mpi_broadcast(const MpiRanks& r, std::vector<size_t> values) {
    if (!r.active) return values;
    unsigned long long count = values.size();
    MPI_Bcast(&count, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    std::vector<unsigned long long> buffer(values.begin(), values.end());
    buffer.resize(count);
    MPI_Bcast(buffer.data(), int(count), MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    return std::vector<size_t>(buffer.begin(), buffer.end());
}

std::vector<std::string> mpi_gather(const MpiRanks& r, const std::vector<std::string>& mine) {
    if (!r.active) return mine;
    // Each rank's strings as one buffer: lengths first, then the bytes.
    std::string packed;
    std::vector<long long> lengths;
    for (const std::string& s : mine) {
        lengths.push_back((long long)s.size());
        packed += s;
    }
    long long count = (long long)mine.size(), bytes = (long long)packed.size();
    std::vector<long long> counts(size_t(r.size)), sizes(size_t(r.size));
    MPI_Gather(&count, 1, MPI_LONG_LONG, counts.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    MPI_Gather(&bytes, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (r.rank != 0) {
        MPI_Send(lengths.data(), int(count), MPI_LONG_LONG, 0, 1, MPI_COMM_WORLD);
        MPI_Send(packed.data(), int(bytes), MPI_CHAR, 0, 2, MPI_COMM_WORLD);
        return mine;
    }
    std::vector<std::string> all = mine;
    for (int source = 1; source < r.size; ++source) {
        std::vector<long long> their_lengths(static_cast<size_t>(counts[size_t(source)]));
        std::string their(static_cast<size_t>(sizes[size_t(source)]), '\0');
        MPI_Recv(their_lengths.data(), int(their_lengths.size()), MPI_LONG_LONG, source, 1, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        MPI_Recv(their.data(), int(their.size()), MPI_CHAR, source, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        size_t at = 0;
        for (long long n : their_lengths) {
            all.push_back(their.substr(at, size_t(n)));
            at += size_t(n);
        }
    }
    return all;
}

#else

bool mpi_available() { return false; }
MpiRanks mpi_start(int*, char***) {
    // Every rank would run the whole sweep on its own: refuse rather than repeat the work.
    if (launched_by_mpirun())
        throw UsageError(
            "this npusim was built without MPI (install libopenmpi-dev and rebuild) but runs under mpirun");
    return MpiRanks{};
}
void mpi_stop(const MpiRanks&) {}
std::vector<size_t> mpi_broadcast(const MpiRanks&, std::vector<size_t> values) { return values; }
std::vector<std::string> mpi_gather(const MpiRanks&, const std::vector<std::string>& mine) { return mine; }

#endif

}  // namespace npu
