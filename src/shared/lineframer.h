#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>
#include <utility>

// Splits a byte stream into lines (LF or CRLF) without ever holding more than one line's
// limit: a line that passes the limit is reported once and skipped up to its newline, so a
// peer that never sends a newline costs at most maxLineBytes.
class LineFramer
{
public:
    explicit LineFramer(qsizetype maxLineBytes) : m_maxLineBytes(maxLineBytes) { }

    // Consumes data. Calls onLine(QByteArrayView) for every complete line, terminator
    // removed, and onOverlong() once for every line longer than the limit. The view passed
    // to onLine is valid only during the call.
    template<typename LineFn, typename OverlongFn>
    void feed(QByteArrayView data, LineFn &&onLine, OverlongFn &&onOverlong);

    // The peer has ended its side: an unfinished line is a line after all (a client that sends
    // "/who" and closes without a newline meant it). Calls onLine once for it, if any (or
    // onOverlong when it is over the limit), and starts afresh.
    template<typename LineFn, typename OverlongFn>
    void finish(LineFn &&onLine, OverlongFn &&onOverlong);

    qsizetype maxLineBytes() const { return m_maxLineBytes; }
    // A new limit for the lines after the current one (a connection whose dialect turned out
    // to have longer lines).
    void setMaxLineBytes(qsizetype maxLineBytes) { m_maxLineBytes = maxLineBytes; }
    // Bytes of an unfinished line held until its newline arrives.
    qsizetype bufferedBytes() const { return m_partial.size(); }
    // True while the rest of an overlong line is being skipped.
    bool isDiscarding() const { return m_discarding; }

private:
    static QByteArrayView chopCarriageReturn(QByteArrayView line)
    {
        return line.endsWith('\r') ? line.chopped(1) : line;
    }

    QByteArray m_partial;
    qsizetype m_maxLineBytes;
    bool m_discarding = false;
};

template<typename LineFn, typename OverlongFn>
void LineFramer::finish(LineFn &&onLine, OverlongFn &&onOverlong)
{
    const QByteArray partial = std::exchange(m_partial, QByteArray());
    const bool discarding = std::exchange(m_discarding, false);
    if (discarding || partial.isEmpty())
        return;
    const QByteArrayView line = chopCarriageReturn(partial);
    if (line.size() > m_maxLineBytes)
        onOverlong();
    else
        onLine(line);
}

template<typename LineFn, typename OverlongFn>
void LineFramer::feed(QByteArrayView data, LineFn &&onLine, OverlongFn &&onOverlong)
{
    while (!data.isEmpty()) {
        const auto *newline = static_cast<const char *>(std::memchr(data.data(), '\n', size_t(data.size())));
        if (!newline) {
            if (m_discarding)
                return;
            // One byte of slack: the unfinished line may end in the CR of a CRLF.
            if (m_partial.size() + data.size() > m_maxLineBytes + 1) {
                m_partial.clear();
                m_discarding = true;
                onOverlong();
                return;
            }
            m_partial.append(data);
            return;
        }
        const qsizetype length = newline - data.data();
        const QByteArrayView piece = data.first(length);
        data = data.sliced(length + 1);
        if (m_discarding) {
            m_discarding = false;
            continue;
        }
        QByteArrayView line = piece;
        if (!m_partial.isEmpty()) {
            m_partial.append(piece);
            line = m_partial;
        }
        line = chopCarriageReturn(line);
        if (line.size() > m_maxLineBytes)
            onOverlong();
        else
            onLine(line);
        m_partial.clear();
    }
}
