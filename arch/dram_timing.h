#pragma once
// The banked DRAM's timing, without SystemC: channels of ranks, bank groups and banks with row
// buffers, JEDEC timing parameters, a per-channel FR-FCFS scheduler and refresh. A transfer's
// bursts are mapped to (channel, rank, bank group, bank, row, column), queued per channel and
// served first-ready first-come (FR-FCFS, within `queue_depth` requests): the request whose
// column command can issue earliest (row hits before misses), the oldest among equals; each issues
// the commands it needs (PRE on a conflict, ACT on a closed bank, then RD or WR) at the earliest
// time every constraint allows (commands to different banks may be placed ahead of ones already
// issued: the command bus itself is not modelled), and its data occupies the channel's bus for BL/2 clocks, CL (or
// CWL) after the column command. State (open rows, the last commands) persists across
// transfers, so concurrent loads and stores contend in the order they arrive.
//
// Address mapping, from the burst index b = address / burst_bytes: channel = b mod channels,
// then the bank group, then the column (bursts of one row), then the bank, the rank and the row:
// consecutive bursts of a channel alternate bank groups (tCCD_S apart, so a stream can fill the
// bus), and a stream moves on to the next bank when the groups' rows are used up.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace npu {

// One JEDEC part as a channel sees it (configs/dram/jedec.yaml). Timings in clocks of tCK.
struct DramPreset {
    std::string name, source;
    double tck_ns = 1.0;
    int64_t bus_bytes = 8;     // data bus width of one channel
    int64_t burst_length = 8;  // beats per burst: a burst is bus_bytes * burst_length bytes
    int64_t ranks = 1, bank_groups = 1, banks_per_group = 8;
    int64_t row_bytes = 8192;  // one row (page) across the channel's devices
    int64_t cl = 0, cwl = 0, rcd = 0, rp = 0, ras = 0, rc = 0, ccd_s = 0, ccd_l = 0, rrd_s = 0, rrd_l = 0, faw = 0,
            wr = 0, wtr_s = 0, wtr_l = 0, rtp = 0, rtw = 0, rfc = 0, refi = 0;
    // Energy per operation (pJ): ACT with its PRE, one read or write burst, one all-bank
    // refresh of a rank.
    double act_pj = 0, read_pj = 0, write_pj = 0, refresh_pj = 0;

    int64_t burst_bytes() const { return bus_bytes * burst_length; }
    int64_t data_clocks() const { return burst_length / 2; }  // double data rate
    double peak_gbps_per_channel() const { return double(bus_bytes) * 2.0 / tck_ns; }
};

enum class PagePolicy { Open, Closed };

struct DramCounts {
    int64_t reads = 0, writes = 0;         // bursts
    int64_t row_hits = 0, row_misses = 0;  // miss: the bank was closed
    int64_t row_conflicts = 0;             // another row was open: PRE first
    int64_t activates = 0, precharges = 0, refreshes = 0;
    double refresh_ns = 0;  // channel time spent refreshing
    DramCounts operator-(const DramCounts& o) const {
        return {reads - o.reads,
                writes - o.writes,
                row_hits - o.row_hits,
                row_misses - o.row_misses,
                row_conflicts - o.row_conflicts,
                activates - o.activates,
                precharges - o.precharges,
                refreshes - o.refreshes,
                refresh_ns - o.refresh_ns};
    }
    double energy_pj(const DramPreset& p) const {
        return double(activates) * p.act_pj + double(reads) * p.read_pj + double(writes) * p.write_pj +
               double(refreshes) * p.refresh_pj;
    }
};

class BankedDramTiming {
public:
    BankedDramTiming(const DramPreset& preset, int64_t channels, PagePolicy policy, int64_t queue_depth = 32);

    // The bursts of [address, address + bytes) (several runs may be added before serve()).
    void add(uint64_t address, int64_t bytes, bool write);
    // Serves the added bursts from `now_ns` on; returns when the last one's data is done (ns).
    double serve(double now_ns);
    // Idles every channel and closes every row (a new program starts from a quiet DRAM at time
    // 0); the first refresh falls due at tREFI.
    void reset();

    const DramCounts& counts() const { return m_counts; }
    // Per bank (channel-major), the time it spent activating, precharging or moving data.
    const std::vector<double>& bank_busy_ns() const { return m_bank_busy_ns; }
    int64_t channels() const { return int64_t(m_channels.size()); }

private:
    struct Request {
        int64_t bank = 0, row = 0;  // bank: rank-major index within the channel
        bool write = false;
    };
    struct Bank {
        int64_t open_row = -1;
        double act_ready = 0, column_ready = 0, pre_ready = 0;  // earliest ACT, RD/WR, PRE (clocks)
    };
    struct Channel {
        std::vector<Bank> banks;
        std::vector<Request> queue;
        double bus_free = 0;                     // data bus (clocks)
        double last_column = -1e18;              // any bank group
        std::vector<double> last_column_in;      // per rank x bank group
        std::vector<double> last_act_in;         // per rank x bank group
        std::vector<double> last_act_rank;       // per rank
        std::vector<std::array<double, 4>> faw;  // per rank: the last four ACTs
        double last_write_data_end = -1e18, last_read_column = -1e18;
        int64_t last_write_group = -1;  // tWTR_L within it, tWTR_S across
        double next_refresh = 0;
    };
    // When request r's commands could go, from `now` on, in the channel's present state.
    struct Plan {
        bool hit = false, conflict = false;
        double pre = 0, act = 0, column = 0;  // clocks
    };
    Plan plan(const Channel& c, const Request& r, double now) const;
    double act_time(const Channel& c, int64_t bank, double earliest) const;
    // Issues the plan: the state after it, the counts; returns its data's end (clocks).
    double commit(Channel& c, size_t channel, const Request& r, const Plan& plan);
    void refresh_until(Channel& c, double t);
    int64_t group_of(int64_t bank) const { return bank / m_preset.banks_per_group; }  // rank x group index
    int64_t rank_of(int64_t bank) const { return bank / (m_preset.banks_per_group * m_preset.bank_groups); }

    DramPreset m_preset;
    PagePolicy m_policy;
    int64_t m_queue_depth;
    std::vector<Channel> m_channels;
    DramCounts m_counts;
    std::vector<double> m_bank_busy_ns;
};

}  // namespace npu
