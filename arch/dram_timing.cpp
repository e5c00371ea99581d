#include "arch/dram_timing.h"

#include <algorithm>
#include <stdexcept>

namespace npu {

BankedDramTiming::BankedDramTiming(const DramPreset& preset, int64_t channels, PagePolicy policy, int64_t queue_depth)
    : m_preset(preset), m_policy(policy), m_queue_depth(std::max<int64_t>(1, queue_depth)) {
    if (channels < 1 || preset.tck_ns <= 0 || preset.burst_bytes() <= 0 || preset.row_bytes < preset.burst_bytes())
        throw std::invalid_argument("BankedDramTiming: a preset needs tCK, a burst and rows of at least one burst");
    m_channels.resize(size_t(channels));
    reset();
}

void BankedDramTiming::reset() {
    const int64_t banks = m_preset.ranks * m_preset.bank_groups * m_preset.banks_per_group;
    const size_t groups = size_t(m_preset.ranks * m_preset.bank_groups), ranks = size_t(m_preset.ranks);
    for (Channel& c : m_channels) {
        c = Channel{};
        c.banks.assign(size_t(banks), Bank{});
        c.last_column_in.assign(groups, -1e18);
        c.last_act_in.assign(groups, -1e18);
        c.last_act_rank.assign(ranks, -1e18);
        c.faw.assign(ranks, {-1e18, -1e18, -1e18, -1e18});
        c.next_refresh = double(m_preset.refi);
    }
    m_bank_busy_ns.assign(m_channels.size() * size_t(banks), 0.0);
}

void BankedDramTiming::add(uint64_t address, int64_t bytes, bool write) {
    if (bytes <= 0) return;
    const uint64_t burst = uint64_t(m_preset.burst_bytes()), channels = m_channels.size();
    const uint64_t per_row = uint64_t(m_preset.row_bytes) / burst;
    const uint64_t groups = uint64_t(m_preset.bank_groups), per_group = uint64_t(m_preset.banks_per_group);
    for (uint64_t b = address / burst; b <= (address + uint64_t(bytes) - 1) / burst; ++b) {
        const uint64_t in_channel = b / channels;
        const uint64_t group = in_channel % groups, row_index = in_channel / groups / per_row;
        const uint64_t k = row_index % per_group, rank = (row_index / per_group) % uint64_t(m_preset.ranks);
        const int64_t bank = int64_t((rank * groups + group) * per_group + k);
        m_channels[size_t(b % channels)].queue.push_back(
            {bank, int64_t(row_index / (per_group * uint64_t(m_preset.ranks))), write});
    }
}

void BankedDramTiming::refresh_until(Channel& c, double t) {
    while (c.next_refresh <= t) {
        // All banks of every rank: open rows closed, then tRFC without commands.
        double start = c.next_refresh;
        for (Bank& b : c.banks)
            if (b.open_row >= 0) start = std::max(start, b.pre_ready + double(m_preset.rp));
        for (Bank& b : c.banks) {
            if (b.open_row >= 0) ++m_counts.precharges;
            b.open_row = -1;
            b.act_ready = std::max(b.act_ready, start + double(m_preset.rfc));
        }
        m_counts.refreshes += m_preset.ranks;
        m_counts.refresh_ns += double(m_preset.rfc) * m_preset.tck_ns;
        c.next_refresh += double(m_preset.refi);
    }
}

double BankedDramTiming::act_time(const Channel& c, int64_t bank, double earliest) const {
    const std::array<double, 4>& faw = c.faw[size_t(rank_of(bank))];
    return std::max({earliest, c.last_act_in[size_t(group_of(bank))] + double(m_preset.rrd_l),
                     c.last_act_rank[size_t(rank_of(bank))] + double(m_preset.rrd_s), faw[0] + double(m_preset.faw)});
}

BankedDramTiming::Plan BankedDramTiming::plan(const Channel& c, const Request& r, double now) const {
    const DramPreset& p = m_preset;
    const Bank& b = c.banks[size_t(r.bank)];
    Plan plan;
    plan.hit = b.open_row == r.row;
    plan.conflict = !plan.hit && b.open_row >= 0;
    double column_ready = b.column_ready;
    if (!plan.hit) {
        double act_ready = b.act_ready;
        if (plan.conflict) {  // close the other row first
            plan.pre = std::max(now, b.pre_ready);
            act_ready = std::max(act_ready, plan.pre + double(p.rp));
        }
        plan.act = act_time(c, r.bank, std::max(now, act_ready));
        column_ready = plan.act + double(p.rcd);
    }
    const size_t group = size_t(group_of(r.bank));
    const double latency = double(r.write ? p.cwl : p.cl);
    plan.column = std::max({now, column_ready, c.last_column + double(p.ccd_s),
                            c.last_column_in[group] + double(p.ccd_l), c.bus_free - latency});
    if (r.write) plan.column = std::max(plan.column, c.last_read_column + double(p.rtw));
    if (!r.write)
        plan.column = std::max(
            plan.column, c.last_write_data_end + double(int64_t(group) == c.last_write_group ? p.wtr_l : p.wtr_s));
    return plan;
}

double BankedDramTiming::commit(Channel& c, size_t channel, const Request& r, const Plan& plan) {
    const DramPreset& p = m_preset;
    Bank& b = c.banks[size_t(r.bank)];
    double first = plan.column;  // this access's first command
    if (plan.hit) ++m_counts.row_hits;
    if (plan.conflict) ++m_counts.row_conflicts, ++m_counts.precharges;
    if (!plan.hit && !plan.conflict) ++m_counts.row_misses;
    if (!plan.hit) {
        first = plan.conflict ? plan.pre : plan.act;
        const int64_t rank = rank_of(r.bank);
        std::array<double, 4>& faw = c.faw[size_t(rank)];
        c.last_act_in[size_t(group_of(r.bank))] = plan.act;
        c.last_act_rank[size_t(rank)] = plan.act;
        faw = {faw[1], faw[2], faw[3], plan.act};  // the oldest of the last four first
        ++m_counts.activates;
        b.open_row = r.row;
        b.pre_ready = plan.act + double(p.ras);
        b.act_ready = plan.act + double(p.rc);
    }
    const size_t group = size_t(group_of(r.bank));
    const double data_end = plan.column + double(r.write ? p.cwl : p.cl) + double(p.data_clocks());
    c.bus_free = data_end;
    c.last_column = plan.column;
    c.last_column_in[group] = plan.column;
    if (r.write) {
        c.last_write_data_end = data_end;
        c.last_write_group = int64_t(group);
        ++m_counts.writes;
    } else {
        c.last_read_column = plan.column;
        ++m_counts.reads;
    }
    b.pre_ready = std::max(b.pre_ready, r.write ? data_end + double(p.wr) : plan.column + double(p.rtp));
    double busy_end = data_end;
    if (m_policy == PagePolicy::Closed) {  // auto-precharge
        ++m_counts.precharges;
        b.act_ready = std::max(b.act_ready, b.pre_ready + double(p.rp));
        busy_end = b.pre_ready + double(p.rp);
        b.open_row = -1;
    }
    m_bank_busy_ns[channel * c.banks.size() + size_t(r.bank)] += (busy_end - first) * p.tck_ns;
    return data_end;
}

double BankedDramTiming::serve(double now_ns) {
    const double now = now_ns / m_preset.tck_ns;
    double done = now;
    for (size_t ch = 0; ch < m_channels.size(); ++ch) {
        Channel& c = m_channels[ch];
        std::vector<Request> window;
        size_t next = 0;
        while (next < c.queue.size() || !window.empty()) {
            while (int64_t(window.size()) < m_queue_depth && next < c.queue.size()) window.push_back(c.queue[next++]);
            refresh_until(c, std::max(now, c.bus_free));
            // First ready, first come: the request whose column command can go first (a row hit
            // needs no ACT; another bank group no tCCD_L), the oldest among equals.
            size_t pick = 0;
            Plan best = plan(c, window[0], now);
            for (size_t i = 1; i < window.size(); ++i) {
                const Plan p = plan(c, window[i], now);
                if (p.column < best.column) best = p, pick = i;
            }
            done = std::max(done, commit(c, ch, window[pick], best));
            window.erase(window.begin() + long(pick));
        }
        c.queue.clear();
    }
    return done * m_preset.tck_ns;
}

}  // namespace npu
