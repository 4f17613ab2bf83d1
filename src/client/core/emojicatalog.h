#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The emoji the client offers (the picker, :shortcode: completion): every fully-qualified
// emoji of Unicode's emoji-test.txt without skin tones, in the order of Unicode's charts, with
// CLDR's English short name as its shortcode and CLDR's English and Chinese keywords for
// searching. Read once from the table the build makes (:/emoji/emoji.tsv, emojitable.py).
class EmojiCatalog
{
public:
    struct Emoji
    {
        QString text; // the emoji itself, with its variation selector where it has one
        QString group; // Unicode's chart group: "Smileys & Emotion", "People & Body" ...
        QString shortcode; // "thumbs_up", written :thumbs_up:
        QString chineseName; // CLDR's Chinese short name, "拇指向上"
        QStringList keywords; // CLDR's English and Chinese keywords
    };

    // The one catalog of the process (read on first use; empty if the table is missing).
    static const EmojiCatalog &instance();

    const QList<Emoji> &all() const { return m_all; }
    // The emoji whose shortcode is name (without colons, any case); nullptr for none.
    const Emoji *byShortcode(const QString &name) const;
    // Emoji whose shortcode starts with prefix (without the colon, any case), in chart order,
    // at most limit of them.
    QList<const Emoji *> withShortcodePrefix(const QString &prefix, int limit = 50) const;
    // Emoji for a search: every word of query (case-insensitive, English or Chinese) begins a
    // word of the shortcode or a keyword, or is part of a Chinese name or keyword; chart order,
    // at most limit. An empty query gives the first limit emoji (smileys first).
    QList<const Emoji *> search(const QString &query, int limit = 200) const;

private:
    EmojiCatalog();
    QList<Emoji> m_all;
};
