#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// Tab completion in the input line, as HexChat and irssi do it: Tab completes the word before
// the cursor to a nick (a "nick: " at the start of the line, "nick " elsewhere), to a room
// when the word starts with '#', to a command when it is a '/' word at the start, or to an
// emoji when it is a ':' shortcode of two letters or more (":thu" gives 👍, EmojiCatalog); Tab again
// cycles through the other matches in order, Shift+Tab back; anything else typed ends the
// cycle. Nicks match by the shared nick comparison (NickRules): "ALI" and a Cyrillic "аli"
// complete to "alice". No widgets: the input gives it text, cursor and candidates.
class TabCompleter
{
public:
    // The candidates of a completion: nicks (the user's own excluded by the caller), room names
    // with their '#', and commands with their '/'.
    struct Candidates
    {
        QStringList nicks;
        QStringList rooms;
        QStringList commands;
    };
    // A completed input and where its cursor goes (a UTF-16 index into text).
    struct Result
    {
        QString text;
        int cursor = 0;
    };

    // Completes text with its cursor at cursor (a UTF-16 index), or, when text and cursor are
    // what the last completion gave, the next match of the same word (the previous one with
    // backward). nullopt when the word before the cursor matches nothing (nothing changes),
    // or is empty.
    std::optional<Result> complete(const QString &text, int cursor, const Candidates &candidates,
                                   bool backward = false);
    // Forgets the cycle: the next complete() starts from what is typed.
    void reset();

    // The candidates that complete word, in cycling order: case-insensitively (and for nicks
    // under NickRules' comparison) starting with it, sorted without regard to case.
    static QStringList matches(const QString &word, const QStringList &candidates, bool nicks);

private:
    QStringList m_matches; // of the cycle going on; empty: none
    int m_index = -1;
    QString m_before; // the text before the word
    QString m_after; // the text after the cursor
    bool m_atStart = false; // the word starts the line
    bool m_isNick = false;
    bool m_isEmoji = false;
    Result m_last; // what the cycle gave last
};
