#include "textcut.h"

#include <QTextBoundaryFinder>

namespace {

// Whether text can only be one character per UTF-16 unit: printable ASCII, the common case,
// needs no boundary analysis.
bool isSimple(QStringView text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x7f || c.unicode() < 0x20)
            return false;
    }
    return true;
}

// Bytes of the UTF-8 form of text (an unpaired surrogate becomes U+FFFD, three bytes).
qsizetype utf8Size(QStringView text)
{
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c < 0x80)
            bytes += 1;
        else if (c < 0x800)
            bytes += 2;
        else if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            bytes += 4;
            ++i;
        } else
            bytes += 3;
    }
    return bytes;
}

} // namespace

int TextCut::characterCount(QStringView text)
{
    if (isSimple(text))
        return int(text.size());
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text.data(), text.size());
    int count = 0;
    while (finder.toNextBoundary() > 0)
        ++count;
    return count;
}

QString TextCut::left(const QString &text, int maxCharacters)
{
    if (maxCharacters <= 0)
        return QString();
    if (text.size() <= maxCharacters)
        return text; // never more characters than UTF-16 units
    // The character after the cut must be simple too: an accent after it would belong to the
    // last one kept.
    if (isSimple(QStringView(text).first(maxCharacters + 1)))
        return text.left(maxCharacters);
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    qsizetype end = 0;
    for (int count = 0; count < maxCharacters; ++count) {
        const qsizetype next = finder.toNextBoundary();
        if (next < 0)
            return text;
        end = next;
    }
    return text.left(end);
}

QString TextCut::leftUtf8(const QString &text, qsizetype maxBytes)
{
    if (maxBytes <= 0)
        return QString();
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (text.size() * 3 <= maxBytes)
        return text;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    qsizetype end = 0;
    qsizetype bytes = 0;
    while (true) {
        const qsizetype next = finder.toNextBoundary();
        if (next < 0)
            return text;
        bytes += utf8Size(QStringView(text).sliced(end, next - end));
        if (bytes > maxBytes)
            return text.left(end);
        end = next;
    }
}
