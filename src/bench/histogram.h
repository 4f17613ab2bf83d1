#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

// Latencies in microseconds, log-linear buckets: exact below 256 us, then 128 buckets per
// doubling (under 1 % error) up to about 1.2 hours. Constant memory, constant time to add.
class Histogram
{
public:
    Histogram() : m_counts(bucketCount, 0) { }

    void add(int64_t micros)
    {
        if (micros < 0)
            micros = 0;
        ++m_counts[bucketOf(uint64_t(micros))];
        ++m_total;
        if (micros > m_max)
            m_max = micros;
    }

    uint64_t count() const { return m_total; }
    int64_t max() const { return m_max; }

    // The smallest value v such that the fraction q of all values are <= v.
    int64_t percentile(double q) const
    {
        if (m_total == 0)
            return 0;
        const auto rank = uint64_t(q * double(m_total) + 0.5);
        uint64_t seen = 0;
        for (size_t i = 0; i < m_counts.size(); ++i) {
            seen += m_counts[i];
            if (seen >= (rank == 0 ? 1 : rank))
                return std::min<int64_t>(int64_t(upperBound(i)), m_max);
        }
        return m_max;
    }

private:
    static constexpr int subBits = 7; // 128 buckets per doubling
    static constexpr uint64_t linear = uint64_t(1) << (subBits + 1); // 256: exact below
    static constexpr int doublings = 24;
    static constexpr size_t bucketCount = linear + size_t(doublings) * (size_t(1) << subBits);

    static size_t bucketOf(uint64_t v)
    {
        if (v < linear)
            return size_t(v);
        const int top = 63 - __builtin_clzll(v); // >= subBits + 1
        const int shift = top - subBits;
        const size_t sub = size_t(v >> shift) - (size_t(1) << subBits);
        const size_t index = linear + size_t(top - subBits - 1) * (size_t(1) << subBits) + sub;
        return index < bucketCount ? index : bucketCount - 1;
    }

    static uint64_t upperBound(size_t index)
    {
        if (index < linear)
            return index;
        const size_t rel = index - linear;
        const int top = int(rel >> subBits) + subBits + 1;
        const int shift = top - subBits;
        const uint64_t sub = (uint64_t(1) << subBits) + (rel & ((size_t(1) << subBits) - 1));
        return ((sub + 1) << shift) - 1;
    }

    std::vector<uint64_t> m_counts;
    uint64_t m_total = 0;
    int64_t m_max = 0;
};
