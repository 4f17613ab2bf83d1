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

QString Timeline::escaped(const QString &text)
{
    constexpr qsizetype maxLength = 200;
    QString out;
    for (qsizetype i = 0; i < text.size() && i < maxLength; ++i) {
        const QChar c = text.at(i);
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f)
            out += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
        else if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c.category() == QChar::Other_Format || c.category() == QChar::Separator_Line ||
                 c.category() == QChar::Separator_Paragraph || (u >= 0x80 && u < 0xa0))
            out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    if (text.size() > maxLength)
        out += QStringLiteral("...");
    return out;
}
