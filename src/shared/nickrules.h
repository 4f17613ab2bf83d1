#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

// What a nick may be and when two nicks are the same person: groupchat's identifier profile
// (docs/SECURITY.md, "Nicks"). It follows Unicode UTS #39 (Unicode Security Mechanisms) and
// RFC 8265 (PRECIS, preparation and comparison of user names), carried out by ICU:
//
// - a nick is kept and compared in Normalization Form C (UAX #15); prepare() gives that form;
// - 1..ChatLimits::maxNickLength user-perceived characters (at most maxNickCodePoints code
//   points), each code point of UTS #39 Identifier_Status=Allowed (ICU's recommended set:
//   letters, marks and digits of the scripts in modern use) or one of _ - . ;
// - no default-ignorable code point (zero-width characters, bidirectional controls, the Hangul
//   fillers U+115F, U+1160, U+3164, U+FFA0), nothing invisible (a combining mark repeated, or
//   hidden in its letter), every combining mark after a letter, one numbering system;
// - one script, or Latin with one other script that does not look like it (UTS #39
//   restriction level "Moderately Restrictive": not Cyrillic or Greek mixed with Latin);
// - two nicks are the same when their confusable skeletons (UTS #39 section 4) after case
//   folding are equal: nobody can take a nick that reads as one in use.
class NickRules
{
public:
    // Why a nick is not allowed.
    enum class Problem {
        None,
        Empty,
        TooLong, // more than maxNickLength characters (or maxNickCodePoints code points)
        Character, // a character outside the profile: punctuation, symbols, emoji, spaces ...
        Invisible, // an invisible or default-ignorable character, or a mark hidden in its letter
        MarkWithoutLetter, // a combining mark at the start or after a digit, _ - or .
        MixedScripts, // scripts that look alike mixed, or digits of two numbering systems
        NoLetter, // only _ - . ("." reads as next to nothing)
    };

    // The form a nick is granted and compared in: Normalization Form C, without surrounding
    // white space.
    static QString prepare(QStringView nick);
    // What is wrong with nick, which must be prepared already (a nick not in NFC is a
    // Character problem). When one character is to blame (Character, Invisible,
    // MarkWithoutLetter), culprit, if given, is set to it.
    static Problem check(QStringView nick, char32_t *culprit = nullptr);
    // Whether prepare(nick) is an allowed nick.
    static bool isValid(QStringView nick);

    // The form nicks are compared in: the case-folded (Unicode default case folding) UTS #39
    // skeleton of the case-folded, prepared nick. Alice, ALICE, and a Cyrillic "аlice" have
    // one key.
    static QString key(QStringView nick);
    // key(), and the keys of what the nick looks like as written and in capitals, where capitals
    // look like other letters than their small forms (a capital I like a small l, a Cyrillic Т
    // like a Latin T): two nicks are one when any of their keys are equal. One to three keys,
    // key() first.
    static QStringList keys(QStringView nick);
    // Whether two nicks are the same nick under these rules.
    static bool same(QStringView a, QStringView b);
    // Whether c may be part of a nick at all (for finding nicks in text); says nothing about
    // where.
    static bool isNickCharacter(char32_t c);

    // The rule in words, in the user's language (a translatable string of context NickRules).
    static QString ruleText();
    // The same in English, for the protocol's error lines (docs/PROTOCOL.md).
    static QString protocolRuleText();
    // What is wrong, in English for the protocol, to follow the nick: "has an invisible
    // character (U+3164 HANGUL FILLER)".
    static QString protocolProblemText(Problem problem, char32_t culprit = 0);
    // What is wrong with nick, as a sentence in the user's language that quotes it visibly
    // ("The nick "alice\u3164" has an invisible character: U+3164 HANGUL FILLER."); empty
    // for a nick that is fine.
    static QString problemSentence(QStringView nick);
    // "U+3164 HANGUL FILLER": a character as Unicode names it (ICU), for people to see what
    // they cannot.
    static QString characterName(char32_t c);
};
