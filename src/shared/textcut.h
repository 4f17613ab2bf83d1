#pragma once

#include <QString>
#include <QStringView>

// Every limit on the length of a text that people read (quit and kick reasons, notices,
// quoted input, previews, nicks, the client's counter) counts what a person counts: user-
// perceived characters, the extended grapheme clusters of Unicode UAX #29, as
// QTextBoundaryFinder finds them. A cut never splits one: not an emoji's surrogate pair, not a
// letter from its accents, not a family emoji from its joiners.
class TextCut
{
public:
    // How many user-perceived characters text has.
    static int characterCount(QStringView text);
    // The first maxCharacters user-perceived characters of text (all of it when it has no
    // more); maxCharacters <= 0 gives an empty string.
    static QString left(const QString &text, int maxCharacters);
    // The longest start of text, in whole user-perceived characters, whose UTF-8 form takes at
    // most maxBytes bytes.
    static QString leftUtf8(const QString &text, qsizetype maxBytes);
};
