#include "timeline.h"

#include <cstdio>

Timeline::Timeline()
{
    m_clock.start();
}

void Timeline::note(const QString &text)
{
    m_entries.append({ now(), text, QString() });
    std::printf("[%s] %s\n", qUtf8Printable(stamp(now())), qUtf8Printable(text));
    std::fflush(stdout);
}

void Timeline::detail(const QString &text, const QString &subject)
{
    m_entries.append({ now(), text, subject.isEmpty() ? QStringLiteral("-") : subject });
    if (m_verbose) {
        std::printf("[%s]   %s\n", qUtf8Printable(stamp(now())), qUtf8Printable(text));
        std::fflush(stdout);
    }
}

QList<Timeline::Entry> Timeline::between(qint64 fromMs, qint64 toMs) const
{
    QList<Entry> result;
    for (const Entry &entry : m_entries) {
        if (entry.atMs >= fromMs && entry.atMs <= toMs)
            result.append(entry);
    }
    return result;
}

QString Timeline::stamp(qint64 ms)
{
    return QStringLiteral("%1.%2").arg(ms / 1000, 4).arg(ms % 1000, 3, 10, QLatin1Char('0'));
}
