#include "nickrules.h"

#include "chatlimits.h"
#include "textcut.h"
#include "textsanitizer.h"

#include <QCoreApplication>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uset.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>

#include <memory>

namespace {

const char ruleSource[] = QT_TRANSLATE_NOOP(
        "NickRules",
        "1 to %1 letters or digits of one writing system (Latin may be mixed with one that does not look "
        "like it), with their accents and vowel signs, and _ - or .; nothing invisible, and not one that "
        "looks like a nick in use");

const UChar *units(QStringView text)
{
    return reinterpret_cast<const UChar *>(text.utf16());
}

// ICU's objects for the profile, made once. A configured USpoofChecker may be used from
// several threads at once (its checks are const); the normalizer is a shared singleton.
class Profile
{
public:
    Profile()
    {
        UErrorCode status = U_ZERO_ERROR;
        m_normalizer = unorm2_getNFCInstance(&status);
        m_checker.reset(uspoof_open(&status));
        // UTS #39 Identifier_Status=Allowed, and the three punctuation marks nicks have always had.
        USet *allowed = uset_cloneAsThawed(uspoof_getRecommendedSet(&status));
        if (allowed) {
            uset_add(allowed, u'_');
            uset_add(allowed, u'-');
            uset_add(allowed, u'.');
            uset_freeze(allowed);
            m_allowed = allowed;
        }
        uspoof_setAllowedChars(m_checker.get(), m_allowed, &status);
        uspoof_setChecks(m_checker.get(),
                         USPOOF_RESTRICTION_LEVEL | USPOOF_CHAR_LIMIT | USPOOF_INVISIBLE |
                                 USPOOF_MIXED_NUMBERS | USPOOF_HIDDEN_OVERLAY,
                         &status);
        uspoof_setRestrictionLevel(m_checker.get(), USPOOF_MODERATELY_RESTRICTIVE);
        m_ok = U_SUCCESS(status) && m_allowed;
        if (!m_ok)
            qCritical("ICU's spoof checker is not available (%s): every nick is refused",
                      u_errorName(status));
    }
    ~Profile() { uset_close(m_allowed); }
    Profile(const Profile &) = delete;
    Profile &operator=(const Profile &) = delete;

    static const Profile &instance()
    {
        static const Profile profile;
        return profile;
    }

    bool isOk() const { return m_ok; }
    bool allows(char32_t c) const { return m_allowed && uset_contains(m_allowed, UChar32(c)); }

    QString normalized(QStringView text) const
    {
        UErrorCode status = U_ZERO_ERROR;
        if (unorm2_isNormalized(m_normalizer, units(text), int32_t(text.size()), &status) &&
            U_SUCCESS(status))
            return text.toString();
        return convert(text, [this](const UChar *in, int32_t length, UChar *out, int32_t capacity,
                                    UErrorCode *error) {
            return unorm2_normalize(m_normalizer, in, length, out, capacity, error);
        });
    }

    bool isNormalized(QStringView text) const
    {
        UErrorCode status = U_ZERO_ERROR;
        return unorm2_isNormalized(m_normalizer, units(text), int32_t(text.size()), &status) &&
               U_SUCCESS(status);
    }

    // uspoof_check2's result bits (USpoofChecks) for text.
    int32_t spoofChecks(QStringView text) const
    {
        UErrorCode status = U_ZERO_ERROR;
        const int32_t result =
                uspoof_check2(m_checker.get(), units(text), int32_t(text.size()), nullptr, &status);
        return U_SUCCESS(status) ? result : USPOOF_ALL_CHECKS;
    }

    QString skeleton(QStringView text) const
    {
        return convert(text, [this](const UChar *in, int32_t length, UChar *out, int32_t capacity,
                                    UErrorCode *error) {
            return uspoof_getSkeleton(m_checker.get(), 0, in, length, out, capacity, error);
        });
    }

    static QString upper(QStringView text)
    {
        return convert(text,
                       [](const UChar *in, int32_t length, UChar *out, int32_t capacity, UErrorCode *error) {
                           return u_strToUpper(out, capacity, in, length, "", error);
                       });
    }

    static QString folded(QStringView text)
    {
        return convert(text,
                       [](const UChar *in, int32_t length, UChar *out, int32_t capacity, UErrorCode *error) {
                           return u_strFoldCase(out, capacity, in, length, U_FOLD_CASE_DEFAULT, error);
                       });
    }

private:
    // Runs an ICU conversion into a QString, growing the buffer once if ICU asks for more.
    template<typename Fn>
    static QString convert(QStringView text, Fn &&fn)
    {
        QString out(text.size() * 2 + 8, Qt::Uninitialized);
        UErrorCode status = U_ZERO_ERROR;
        int32_t length = fn(units(text), int32_t(text.size()), reinterpret_cast<UChar *>(out.data()),
                            int32_t(out.size()), &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            out.resize(length);
            status = U_ZERO_ERROR;
            length = fn(units(text), int32_t(text.size()), reinterpret_cast<UChar *>(out.data()),
                        int32_t(out.size()), &status);
        }
        if (U_FAILURE(status))
            return text.toString();
        out.resize(length);
        return out;
    }

    struct CheckerClose
    {
        void operator()(USpoofChecker *checker) const { uspoof_close(checker); }
    };
    const UNormalizer2 *m_normalizer = nullptr;
    std::unique_ptr<USpoofChecker, CheckerClose> m_checker;
    USet *m_allowed = nullptr;
    bool m_ok = false;
};

bool isLetter(char32_t c)
{
    return (U_GET_GC_MASK(UChar32(c)) & U_GC_L_MASK) != 0;
}

bool isMark(char32_t c)
{
    return (U_GET_GC_MASK(UChar32(c)) & U_GC_M_MASK) != 0;
}

bool isSyntax(char32_t c)
{
    return c == U'_' || c == U'-' || c == U'.';
}

} // namespace

QString NickRules::prepare(QStringView nick)
{
    return Profile::instance().normalized(nick.trimmed());
}

NickRules::Problem NickRules::check(QStringView nick, char32_t *culprit)
{
    const auto blame = [culprit](char32_t c, Problem problem) {
        if (culprit)
            *culprit = c;
        return problem;
    };
    const Profile &profile = Profile::instance();
    if (nick.isEmpty())
        return Problem::Empty;
    if (nick.size() > 2 * ChatLimits::maxNickCodePoints ||
        nick.toUcs4().size() > ChatLimits::maxNickCodePoints ||
        TextCut::characterCount(nick) > ChatLimits::maxNickLength)
        return Problem::TooLong;
    if (!profile.isOk() || !profile.isNormalized(nick))
        return Problem::Character;
    char32_t previous = 0;
    bool letterOrDigit = false;
    for (const char32_t c : nick.toUcs4()) {
        letterOrDigit = letterOrDigit || isLetter(c) || u_charType(UChar32(c)) == U_DECIMAL_DIGIT_NUMBER;
        if (u_hasBinaryProperty(UChar32(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
            return blame(c, Problem::Invisible);
        if (!isNickCharacter(c) || !profile.allows(c))
            return blame(c, Problem::Character);
        // A vowel sign or an accent belongs to the letter before it.
        if (isMark(c) && !(isLetter(previous) || isMark(previous)))
            return blame(c, Problem::MarkWithoutLetter);
        previous = c;
    }
    // "." or "-.-" reads as next to nothing.
    if (!letterOrDigit)
        return Problem::NoLetter;
    const int32_t failed = profile.spoofChecks(nick);
    if (failed & (USPOOF_INVISIBLE | USPOOF_HIDDEN_OVERLAY))
        return Problem::Invisible;
    if (failed & (USPOOF_RESTRICTION_LEVEL | USPOOF_MIXED_NUMBERS))
        return Problem::MixedScripts;
    if (failed != 0)
        return Problem::Character;
    return Problem::None;
}

bool NickRules::isValid(QStringView nick)
{
    return check(prepare(nick)) == Problem::None;
}

QString NickRules::key(QStringView nick)
{
    const Profile &profile = Profile::instance();
    return Profile::folded(profile.skeleton(Profile::folded(profile.normalized(nick))));
}

QStringList NickRules::keys(QStringView nick)
{
    const Profile &profile = Profile::instance();
    const QString prepared = profile.normalized(nick);
    QStringList keys{ Profile::folded(profile.skeleton(Profile::folded(prepared))) };
    // Folding first loses what capitals look like: I folds to i but reads as l, and a
    // Cyrillic Т folds to т, which does not read as Latin. So the skeletons of the nick as
    // written and in capitals count too: "ALlCE" and "TECT" are what alice and тест look
    // like in capitals.
    for (const QString &form : { prepared, Profile::upper(prepared) }) {
        const QString key = Profile::folded(profile.skeleton(form));
        if (!keys.contains(key))
            keys.append(key);
    }
    return keys;
}

bool NickRules::same(QStringView a, QStringView b)
{
    const QStringList keysA = keys(a);
    const QStringList keysB = keys(b);
    return std::any_of(keysA.cbegin(), keysA.cend(), [&](const QString &k) { return keysB.contains(k); });
}

bool NickRules::isNickCharacter(char32_t c)
{
    return isLetter(c) || isMark(c) || isSyntax(c) || u_charType(UChar32(c)) == U_DECIMAL_DIGIT_NUMBER;
}

QString NickRules::ruleText()
{
    return QCoreApplication::translate("NickRules", ruleSource).arg(ChatLimits::maxNickLength);
}

QString NickRules::protocolRuleText()
{
    return QString::fromUtf8(ruleSource).arg(ChatLimits::maxNickLength);
}

QString NickRules::characterName(char32_t c)
{
    char name[128];
    UErrorCode status = U_ZERO_ERROR;
    const int32_t length = u_charName(UChar32(c), U_EXTENDED_CHAR_NAME, name, sizeof name, &status);
    const QString code = QStringLiteral("U+%1").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
    if (U_FAILURE(status) || length <= 0)
        return code;
    return code + u' ' + QString::fromLatin1(name, length);
}

QString NickRules::problemSentence(QStringView nick)
{
    char32_t culprit = 0;
    const Problem problem = check(nick, &culprit);
    const QString quoted = TextSanitizer::quoted(nick, ChatLimits::maxNickLength);
    const QString name = characterName(culprit);
    switch (problem) {
    case Problem::None:
        break;
    case Problem::Empty:
        return QCoreApplication::translate("NickRules", "The nick is empty.");
    case Problem::TooLong:
        return QCoreApplication::translate("NickRules", "The nick %1 is longer than %2 characters.")
                .arg(quoted)
                .arg(ChatLimits::maxNickLength);
    case Problem::Character:
        return QCoreApplication::translate("NickRules", "The nick %1 has a character nicks cannot have: %2.")
                .arg(quoted, name);
    case Problem::Invisible:
        return culprit != 0
                       ? QCoreApplication::translate("NickRules",
                                                     "The nick %1 has an invisible character: %2.")
                                 .arg(quoted, name)
                       : QCoreApplication::translate("NickRules", "The nick %1 has an invisible character.")
                                 .arg(quoted);
    case Problem::MarkWithoutLetter:
        return QCoreApplication::translate("NickRules",
                                           "The nick %1 has an accent or vowel sign without its letter: %2.")
                .arg(quoted, name);
    case Problem::MixedScripts:
        return QCoreApplication::translate("NickRules", "The nick %1 mixes writing systems that look alike.")
                .arg(quoted);
    case Problem::NoLetter:
        return QCoreApplication::translate("NickRules", "The nick %1 has no letter or digit.").arg(quoted);
    }
    return QString();
}

QString NickRules::protocolProblemText(Problem problem, char32_t culprit)
{
    const QString which = culprit != 0 ? u" (" + characterName(culprit) + u')' : QString();
    switch (problem) {
    case Problem::None:
        break;
    case Problem::Empty:
        return QStringLiteral("is empty");
    case Problem::TooLong:
        return QStringLiteral("is longer than %1 characters").arg(ChatLimits::maxNickLength);
    case Problem::Character:
        return QStringLiteral("has a character nicks cannot have") + which;
    case Problem::Invisible:
        return QStringLiteral("has an invisible character") + which;
    case Problem::MarkWithoutLetter:
        return QStringLiteral("has an accent or vowel sign without its letter") + which;
    case Problem::MixedScripts:
        return QStringLiteral("mixes writing systems that look alike");
    case Problem::NoLetter:
        return QStringLiteral("has no letter or digit");
    }
    return QString();
}
