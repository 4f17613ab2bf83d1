#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QString>

// The run's clock and its record of what the harness did (faults, phases), each entry at the
// milliseconds since the run started: printed as it happens, and quoted by the checker around
// a violation.
class Timeline
{
public:
    struct Entry
    {
        qint64 atMs = 0;
        QString text;
        QString subject; // a detail's client ("c3"); empty for what the harness did
    };

    Timeline();

    qint64 now() const { return m_clock.elapsed(); }
    // Records text at now() and prints it; a detail (about one client, subject) is recorded
    // always but printed only when verbose.
    void note(const QString &text);
    void detail(const QString &text, const QString &subject = {});
    void setVerbose(bool verbose) { m_verbose = verbose; }
    bool verbose() const { return m_verbose; }

    // The entries from fromMs to toMs, in order.
    QList<Entry> between(qint64 fromMs, qint64 toMs) const;
    static QString stamp(qint64 ms);
    // What a server sent, fit for one line of the timeline: control characters (line breaks
    // included) and bidi controls as \xNN or \uNNNN, at most 200 characters, so that no
    // server's text can forge or reorder the harness's lines.
    static QString escaped(const QString &text);

private:
    QElapsedTimer m_clock;
    QList<Entry> m_entries;
    bool m_verbose = false;
};
