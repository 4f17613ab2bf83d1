#include "procstats.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

long statusValue(const std::string &status, const char *key)
{
    const auto at = status.find(key);
    if (at == std::string::npos)
        return 0;
    return std::strtol(status.c_str() + at + std::strlen(key), nullptr, 10);
}

std::string readFile(const std::string &path)
{
    std::string content;
    if (FILE *file = std::fopen(path.c_str(), "r")) {
        char buffer[4096];
        size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
            content.append(buffer, n);
        std::fclose(file);
    }
    return content;
}

} // namespace

ProcessStats ProcessStats::of(pid_t pid)
{
    ProcessStats stats;
    const std::string base = "/proc/" + std::to_string(pid);
    const std::string stat = readFile(base + "/stat");
    // The command name may contain spaces; the fields we want follow its closing ')'.
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return stats;
    unsigned long utime = 0;
    unsigned long stime = 0;
    if (std::sscanf(stat.c_str() + close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
                    &stime) != 2)
        return stats;
    stats.cpuSeconds = double(utime + stime) / double(sysconf(_SC_CLK_TCK));
    const std::string status = readFile(base + "/status");
    stats.rssKiB = statusValue(status, "VmRSS:");
    stats.peakRssKiB = statusValue(status, "VmHWM:");
    stats.valid = true;
    return stats;
}

ProcessStats ProcessStats::self()
{
    return of(getpid());
}
