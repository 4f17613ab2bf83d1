#include "textsanitizer.h"

#include "textcut.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <vector>

namespace {

constexpr char16_t replacementCharacter = 0xfffd;
constexpr char16_t firstStrongIsolate = 0x2068;
constexpr char32_t pdf = 0x202c; // POP DIRECTIONAL FORMATTING: ends an embedding or override
constexpr char32_t pdi = 0x2069; // POP DIRECTIONAL ISOLATE: ends an isolate
// Deeper nesting than this is not kept (ChatLimits::maxBidiDepth).
constexpr std::size_t maxBidiDepth = ChatLimits::maxBidiDepth;

enum class Kind {
    Keep,
    Remove, // a control
    Space, // a tab, a line or paragraph break
    OpenEmbedding, // LRE, RLE, LRO, RLO
    CloseEmbedding, // PDF
    OpenIsolate, // LRI, RLI, FSI
    CloseIsolate, // PDI
};

Kind kindOf(char32_t c)
{
    if (c >= 0x20 && c < 0x7f)
        return Kind::Keep;
    if (c == u'\t')
        return Kind::Space;
    // Line breaks first: LF, VT, FF, CR and NEL are controls too, but they separate words.
    switch (u_getIntPropertyValue(UChar32(c), UCHAR_LINE_BREAK)) {
    case U_LB_MANDATORY_BREAK:
    case U_LB_CARRIAGE_RETURN:
    case U_LB_LINE_FEED:
    case U_LB_NEXT_LINE:
        return Kind::Space;
    default:
        break;
    }
    if (u_charType(UChar32(c)) == U_CONTROL_CHAR)
        return Kind::Remove;
    switch (u_charDirection(UChar32(c))) {
    case U_LEFT_TO_RIGHT_EMBEDDING:
    case U_RIGHT_TO_LEFT_EMBEDDING:
    case U_LEFT_TO_RIGHT_OVERRIDE:
    case U_RIGHT_TO_LEFT_OVERRIDE:
        return Kind::OpenEmbedding;
    case U_POP_DIRECTIONAL_FORMAT:
        return Kind::CloseEmbedding;
    case U_LEFT_TO_RIGHT_ISOLATE:
    case U_RIGHT_TO_LEFT_ISOLATE:
    case U_FIRST_STRONG_ISOLATE:
        return Kind::OpenIsolate;
    case U_POP_DIRECTIONAL_ISOLATE:
        return Kind::CloseIsolate;
    default:
        return Kind::Keep;
    }
}

// Walks text by code point; an unpaired surrogate comes out as itself with paired false.
template<typename Fn>
void forEachCodePoint(QStringView text, Fn &&fn)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text.at(i).unicode();
        if (QChar::isHighSurrogate(unit) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            fn(QChar::surrogateToUcs4(unit, text.at(i + 1).unicode()), true);
            ++i;
        } else if (QChar::isSurrogate(unit)) {
            fn(char32_t(unit), false);
        } else {
            fn(char32_t(unit), true);
        }
    }
}

bool needsEscape(char32_t c)
{
    if (c >= 0x20 && c < 0x7f)
        return false;
    const int8_t type = u_charType(UChar32(c));
    return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_LINE_SEPARATOR ||
           type == U_PARAGRAPH_SEPARATOR || type == U_SURROGATE ||
           u_hasBinaryProperty(UChar32(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

void appendEscape(QString &out, char32_t c)
{
    switch (c) {
    case u'\n':
        out += QLatin1String("\\n");
        return;
    case u'\r':
        out += QLatin1String("\\r");
        return;
    case u'\t':
        out += QLatin1String("\\t");
        return;
    default:
        break;
    }
    if (c > 0xffff)
        out += QStringLiteral("\\U%1").arg(uint(c), 8, 16, QLatin1Char('0'));
    else
        out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
}

} // namespace

namespace {

// Whether clean() has nothing at all to look at: no character of any kind but Keep, and every
// surrogate paired. Balanced bidirectional controls make this false though clean() would keep
// them.
bool isPlain(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text.at(i).unicode();
        if (unit >= 0x20 && unit < 0x7f)
            continue;
        if (QChar::isSurrogate(unit)) {
            if (!QChar::isHighSurrogate(unit) || i + 1 == text.size() || !text.at(i + 1).isLowSurrogate())
                return false;
            if (kindOf(QChar::surrogateToUcs4(unit, text.at(i + 1).unicode())) != Kind::Keep)
                return false;
            ++i;
            continue;
        }
        if (kindOf(unit) != Kind::Keep)
            return false;
    }
    return true;
}

} // namespace

bool TextSanitizer::isClean(QStringView text)
{
    return isPlain(text) || clean(text.toString()) == text;
}

QString TextSanitizer::clean(const QString &text)
{
    if (isPlain(text))
        return text;
    QString out;
    out.reserve(text.size());
    // What is open, innermost last: true for an isolate, false for an embedding or override.
    std::vector<bool> open;
    forEachCodePoint(text, [&](char32_t c, bool paired) {
        if (!paired) {
            out += QChar(replacementCharacter);
            return;
        }
        switch (kindOf(c)) {
        case Kind::Keep:
            out += QStringView(QChar::fromUcs4(c));
            break;
        case Kind::Remove:
            break;
        case Kind::Space:
            out += u' ';
            break;
        case Kind::OpenEmbedding:
        case Kind::OpenIsolate:
            if (open.size() < maxBidiDepth) {
                open.push_back(kindOf(c) == Kind::OpenIsolate);
                out += QStringView(QChar::fromUcs4(c));
            }
            break;
        case Kind::CloseEmbedding:
            // Closes the innermost embedding, and only one inside the innermost isolate.
            if (!open.empty() && !open.back()) {
                open.pop_back();
                out += QStringView(QChar::fromUcs4(c));
            }
            break;
        case Kind::CloseIsolate: {
            // Closes the innermost isolate and every embedding opened inside it (UAX #9, X6a).
            const auto isolate = std::find(open.rbegin(), open.rend(), true);
            if (isolate != open.rend()) {
                open.erase(std::prev(isolate.base()), open.end());
                out += QStringView(QChar::fromUcs4(c));
            }
            break;
        }
        }
    });
    while (!open.empty()) {
        out += QStringView(QChar::fromUcs4(open.back() ? pdi : pdf));
        open.pop_back();
    }
    return out;
}

bool TextSanitizer::isBlank(QStringView text)
{
    bool blank = true;
    forEachCodePoint(text, [&blank](char32_t c, bool paired) {
        if (!blank || !paired)
            return;
        blank = u_isUWhiteSpace(UChar32(c)) || u_charType(UChar32(c)) == U_FORMAT_CHAR ||
                u_charType(UChar32(c)) == U_CONTROL_CHAR ||
                u_hasBinaryProperty(UChar32(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
    });
    return blank;
}

bool TextSanitizer::hasRightToLeft(QStringView text)
{
    bool found = false;
    for (qsizetype i = 0; i < text.size() && !found; ++i) {
        const char16_t unit = text.at(i).unicode();
        // Right-to-left scripts and the controls start at U+0590.
        if (unit < 0x0590)
            continue;
        char32_t c = unit;
        if (QChar::isHighSurrogate(unit) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            c = QChar::surrogateToUcs4(unit, text.at(++i).unicode());
        switch (u_charDirection(UChar32(c))) {
        case U_RIGHT_TO_LEFT:
        case U_RIGHT_TO_LEFT_ARABIC:
        case U_RIGHT_TO_LEFT_EMBEDDING:
        case U_RIGHT_TO_LEFT_OVERRIDE:
        case U_RIGHT_TO_LEFT_ISOLATE:
            found = true;
            break;
        default:
            break;
        }
    }
    return found;
}

QString TextSanitizer::isolated(const QString &text)
{
    if (!hasRightToLeft(text))
        return text;
    return QChar(firstStrongIsolate) + text + QChar(char16_t(pdi));
}

QString TextSanitizer::cleanLines(const QString &text, int maxLines)
{
    if (!text.contains(u'\n'))
        return clean(text);
    QString out;
    out.reserve(text.size());
    qsizetype start = 0;
    for (int line = 1; start <= text.size(); ++line) {
        qsizetype end = line < maxLines ? text.indexOf(u'\n', start) : -1;
        if (end < 0)
            end = text.size();
        // CR LF is one break: the CR goes with it rather than becoming a space.
        const qsizetype length =
                end - start - (end > start && end < text.size() && text.at(end - 1) == u'\r');
        if (line > 1)
            out += u'\n';
        out += clean(text.mid(start, length));
        start = end + 1;
    }
    return out;
}

QString TextSanitizer::fromUtf8(QByteArrayView utf8)
{
    return clean(QString::fromUtf8(utf8));
}

QString TextSanitizer::escaped(QStringView text, bool escapeBackslash)
{
    QString out;
    out.reserve(text.size());
    bool first = true;
    forEachCodePoint(text, [&](char32_t c, bool paired) {
        // A combining mark with no letter before it would sit on whatever is written before
        // the text (a quote): shown escaped.
        const bool lonelyMark = first && (U_GET_GC_MASK(UChar32(c)) & U_GC_M_MASK) != 0;
        first = false;
        if (!paired)
            appendEscape(out, c);
        else if (c == u'\\' && escapeBackslash)
            out += QLatin1String("\\\\");
        else if (needsEscape(c) || lonelyMark)
            appendEscape(out, c);
        else
            out += QStringView(QChar::fromUcs4(c));
    });
    return out;
}

QString TextSanitizer::quoted(QStringView text, int maxCharacters)
{
    const QString whole = text.toString();
    const QString cut = TextCut::left(whole, maxCharacters);
    QString inner = escaped(cut);
    inner.replace(u'"', QLatin1String("\\\""));
    return u'"' + inner + (cut.size() < whole.size() ? QStringLiteral("\"…") : QStringLiteral("\""));
}
