#include "emojicatalog.h"

#include <QFile>
#include <QRegularExpression>

EmojiCatalog::EmojiCatalog()
{
    QFile table(QStringLiteral(":/emoji/emoji.tsv"));
    if (!table.open(QIODevice::ReadOnly))
        return;
    const QStringList lines = QString::fromUtf8(table.readAll()).split(u'\n', Qt::SkipEmptyParts);
    m_all.reserve(lines.size());
    for (const QString &line : lines) {
        const QStringList fields = line.split(u'\t');
        if (fields.size() < 6)
            continue;
        Emoji emoji;
        emoji.text = fields.at(0);
        emoji.group = fields.at(1);
        emoji.shortcode = fields.at(2);
        emoji.chineseName = fields.at(4);
        emoji.keywords =
                fields.at(3).split(u'|', Qt::SkipEmptyParts) + fields.at(5).split(u'|', Qt::SkipEmptyParts);
        m_all.append(emoji);
    }
}

const EmojiCatalog &EmojiCatalog::instance()
{
    static const EmojiCatalog catalog;
    return catalog;
}

const EmojiCatalog::Emoji *EmojiCatalog::byShortcode(const QString &name) const
{
    const QString wanted = name.toLower();
    for (const Emoji &emoji : m_all) {
        if (emoji.shortcode == wanted)
            return &emoji;
    }
    return nullptr;
}

QList<const EmojiCatalog::Emoji *> EmojiCatalog::withShortcodePrefix(const QString &prefix, int limit) const
{
    const QString wanted = prefix.toLower();
    QList<const Emoji *> found;
    for (const Emoji &emoji : m_all) {
        if (found.size() >= limit)
            break;
        if (emoji.shortcode.startsWith(wanted))
            found.append(&emoji);
    }
    return found;
}

namespace {

// Whether term starts a word of text ("up" in "thumbs up" and "thumbs_up"), or, for text
// without spaces between words (Chinese), is part of it.
bool matchesWord(const QString &text, const QString &term)
{
    const qsizetype at = text.indexOf(term, 0, Qt::CaseInsensitive);
    if (at < 0)
        return false;
    if (term.at(0).unicode() >= 0x2e80) // CJK: no word boundaries to go by
        return true;
    for (qsizetype from = at; from >= 0; from = text.indexOf(term, from + 1, Qt::CaseInsensitive)) {
        if (from == 0 || !text.at(from - 1).isLetterOrNumber())
            return true;
    }
    return false;
}

} // namespace

QList<const EmojiCatalog::Emoji *> EmojiCatalog::search(const QString &query, int limit) const
{
    static const QRegularExpression separators(QStringLiteral("[\\s:]+"));
    const QStringList terms = query.split(separators, Qt::SkipEmptyParts);
    QList<const Emoji *> found;
    for (const Emoji &emoji : m_all) {
        if (found.size() >= limit)
            break;
        const bool all = std::all_of(terms.begin(), terms.end(), [&emoji](const QString &term) {
            if (matchesWord(emoji.shortcode, term) || matchesWord(emoji.chineseName, term))
                return true;
            return std::any_of(emoji.keywords.begin(), emoji.keywords.end(),
                               [&term](const QString &keyword) { return matchesWord(keyword, term); });
        });
        if (all)
            found.append(&emoji);
    }
    return found;
}
