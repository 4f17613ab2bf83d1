#pragma once

#include "chatlimits.h"

#include <QByteArrayView>
#include <QString>
#include <QStringView>

// The one gate for text that came from a peer and is about to be shown: every text the server
// sends to a client, writes to its log or shows in the admin window, and every text the desktop
// client shows, passes through it (docs/SECURITY.md, "Text from the network").
//
// What Unicode calls a control, a line or paragraph break, or a bidirectional embedding,
// override or isolate is looked up in ICU's character properties, not in a table of ours.
class TextSanitizer
{
public:
    // The text as one line that cannot act on a terminal or on what is shown after it:
    // - C0 controls, DEL and C1 controls (general category Cc) are removed; a tab becomes a
    //   space, so that words stay apart;
    // - every character Unicode defines as a mandatory line or paragraph break (UAX #14 line
    //   break classes BK, CR, LF and NL: LF, VT, FF, CR, NEL, U+2028, U+2029) becomes a space;
    // - unpaired UTF-16 surrogates become U+FFFD;
    // - bidirectional embeddings, overrides and isolates (UAX #9: LRE, RLE, LRO, RLO, PDF, LRI,
    //   RLI, FSI, PDI) are balanced: a terminator with nothing to close is dropped, and whatever
    //   is still open at the end is closed there, so the text cannot reorder what follows it.
    // Text that needs none of this (nearly all) is returned as it is, without a copy.
    static QString clean(const QString &text);
    // A message that may hold several lines (docs/PROTOCOL.md, "Multi-line messages"): each
    // line (text between LF, or CR LF, characters) is clean()ed on its own, so every line is a
    // line that cannot act on what follows it, and the lines are joined with LF. After
    // maxLines lines the rest is one line: its breaks become spaces, as clean() makes them.
    // A text without LF is clean(text).
    static QString cleanLines(const QString &text, int maxLines = ChatLimits::maxMessageLines);
    // Decodes UTF-8 (invalid sequences become U+FFFD) and cleans the result.
    static QString fromUtf8(QByteArrayView utf8);
    // Whether clean(text) would change text.
    static bool isClean(QStringView text);

    // Whether text shows nothing: only white space, default-ignorable code points (zero-width
    // characters, bidi controls, fillers) and other format characters. A message like that
    // would be a blank line under someone's name.
    static bool isBlank(QStringView text);

    // Whether text holds a right-to-left letter (UAX #9 bidi classes R and AL) or a control
    // that starts right-to-left text.
    static bool hasRightToLeft(QStringView text);
    // text between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE when it has
    // right-to-left letters (UAX #9 isolation: laid out on its own, it cannot reorder what is
    // around it), else text as it is. For a field inside a line of text: a nick, a reason.
    static QString isolated(const QString &text);

    // The text as printable characters that say exactly what it holds, for logs and for
    // error messages that quote a peer: controls, line and paragraph breaks, format characters
    // (bidirectional controls, zero-width characters, ...), other default-ignorable code points
    // and unpaired surrogates are written as escapes: \n, \r, \t, \u001b, \u202e, \U000e0041;
    // so is a combining mark at the very start, which would sit on what precedes the text.
    // With escapeBackslash, a backslash is written as \\ so that an escape cannot be faked.
    static QString escaped(QStringView text, bool escapeBackslash = true);
    // escaped(text) in double quotes (a quote inside as \"), cut to at most maxCharacters
    // user-perceived characters of the original with "…" after a cut: how a log line or an
    // error quotes what a peer sent.
    static QString quoted(QStringView text, int maxCharacters = ChatLimits::maxQuotedCharacters);
};
