#pragma once

#include <sys/types.h>

// What /proc says about a process: CPU time used and resident memory (now and at its peak).
struct ProcessStats
{
    double cpuSeconds = 0; // user + system
    long rssKiB = 0;
    long peakRssKiB = 0;
    bool valid = false;

    static ProcessStats of(pid_t pid);
    static ProcessStats self();
};
