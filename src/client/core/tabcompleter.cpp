#include "tabcompleter.h"

#include "emojicatalog.h"
#include "nickrules.h"

#include <algorithm>

QStringList TabCompleter::matches(const QString &word, const QStringList &candidates, bool nicks)
{
    const QString folded = word.toCaseFolded();
    const QString key = nicks ? NickRules::key(word) : QString();
    QStringList found;
    for (const QString &candidate : candidates) {
        if (candidate.toCaseFolded().startsWith(folded) ||
            (nicks && !key.isEmpty() && NickRules::key(candidate).startsWith(key)))
            found.append(candidate);
    }
    std::sort(found.begin(), found.end(), [](const QString &a, const QString &b) {
        const int order = QString::compare(a, b, Qt::CaseInsensitive);
        return order != 0 ? order < 0 : a < b;
    });
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

void TabCompleter::reset()
{
    m_matches.clear();
    m_index = -1;
}

std::optional<TabCompleter::Result> TabCompleter::complete(const QString &text, int cursor,
                                                           const Candidates &candidates, bool backward)
{
    const bool continuing = !m_matches.isEmpty() && text == m_last.text && cursor == m_last.cursor;
    if (!continuing) {
        reset();
        cursor = qBound(0, cursor, int(text.size()));
        int start = cursor;
        while (start > 0 && !text.at(start - 1).isSpace())
            --start;
        const QString word = text.mid(start, cursor - start);
        if (word.isEmpty())
            return std::nullopt;
        m_atStart = text.left(start).trimmed().isEmpty();
        m_before = text.left(start);
        m_after = text.mid(cursor);
        m_isNick = false;
        m_isEmoji = false;
        if (word.startsWith(u':') && word.size() >= 3) {
            // ":thu" or ":thumbs_up:": CLDR shortcodes, replaced by the emoji itself.
            QString prefix = word.mid(1);
            if (prefix.endsWith(u':'))
                prefix.chop(1);
            for (const EmojiCatalog::Emoji *emoji : EmojiCatalog::instance().withShortcodePrefix(prefix))
                m_matches.append(emoji->text);
            m_isEmoji = true;
        } else if (word.startsWith(u'/') && m_atStart) {
            m_matches = matches(word, candidates.commands, false);
        } else if (word.startsWith(u'#')) {
            m_matches = matches(word, candidates.rooms, false);
        } else {
            m_matches = matches(word, candidates.nicks, true);
            m_isNick = true;
        }
        if (m_matches.isEmpty())
            return std::nullopt;
        m_index = backward ? int(m_matches.size()) - 1 : 0;
    } else {
        const int size = int(m_matches.size());
        m_index = (m_index + (backward ? size - 1 : 1)) % size;
    }
    // irssi's and HexChat's suffix: "nick: " to address someone at the start of a line, a
    // space after anything else; no second space when one follows already.
    QString suffix = m_isEmoji               ? QString()
                     : m_isNick && m_atStart ? QStringLiteral(": ")
                                             : QStringLiteral(" ");
    if (m_after.startsWith(u' '))
        suffix.chop(1);
    const QString completed = m_before + m_matches.at(m_index) + suffix;
    m_last.text = completed + m_after;
    m_last.cursor = int(completed.size());
    return m_last;
}
