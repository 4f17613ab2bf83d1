#include "emojitext.h"

#include <QTextBoundaryFinder>

#include <unicode/uchar.h>

namespace {

// The code point that starts at index i of text (a lone surrogate as itself).
char32_t codePointAt(QStringView text, qsizetype i)
{
    const QChar c = text.at(i);
    if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
        return QChar::surrogateToUcs4(c, text.at(i + 1));
    return c.unicode();
}

// Whether text can hold no emoji at all: below U+00A9 ©, the first code point with the Emoji
// property after the digits, '#' and '*' (which are emoji only with a keycap after them).
bool isPlain(QStringView text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0xa9)
            return false;
    }
    return true;
}

} // namespace

bool EmojiText::isEmojiCluster(QStringView cluster)
{
    if (cluster.isEmpty())
        return false;
    const auto first = UChar32(codePointAt(cluster, 0));
    if (u_hasBinaryProperty(first, UCHAR_EMOJI_PRESENTATION))
        return true;
    if (!u_hasBinaryProperty(first, UCHAR_EMOJI))
        return false;
    return cluster.contains(QChar(0xfe0f)) || cluster.contains(QChar(0x20e3));
}

QList<EmojiText::Run> EmojiText::runs(QStringView text)
{
    QList<Run> found;
    if (isPlain(text))
        return found;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text.data(), text.size());
    qsizetype start = 0;
    for (qsizetype end = finder.toNextBoundary(); end > 0; start = end, end = finder.toNextBoundary()) {
        if (!isEmojiCluster(text.sliced(start, end - start)))
            continue;
        if (!found.isEmpty() && found.last().start + found.last().length == start)
            found.last().length += end - start;
        else
            found.append({ start, end - start });
    }
    return found;
}
