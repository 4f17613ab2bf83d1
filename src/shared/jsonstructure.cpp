#include "jsonstructure.h"

#include "textsanitizer.h"

#include <vector>

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Reads the string starting at the quote at json[i]; leaves i after its closing quote.
// Escapes are decoded, so that "a" and "\u0061" are the same key.
QString readString(QByteArrayView json, qsizetype &i)
{
    QByteArray raw;
    QString text;
    ++i;
    while (i < json.size() && json[i] != '"') {
        if (json[i] != '\\') {
            raw.append(json[i++]);
            continue;
        }
        text += QString::fromUtf8(raw);
        raw.clear();
        if (++i >= json.size())
            break;
        const char e = json[i++];
        switch (e) {
        case 'n':
            text += u'\n';
            break;
        case 't':
            text += u'\t';
            break;
        case 'r':
            text += u'\r';
            break;
        case 'b':
            text += u'\b';
            break;
        case 'f':
            text += u'\f';
            break;
        case 'u': {
            int value = 0;
            for (int k = 0; k < 4 && i < json.size(); ++k, ++i)
                value = value * 16 + qMax(0, hexValue(json[i]));
            text += QChar(char16_t(value));
            break;
        }
        default:
            text += QLatin1Char(e); // \" \\ \/
        }
    }
    text += QString::fromUtf8(raw);
    ++i; // the closing quote
    return text;
}

struct Frame
{
    bool isObject;
    bool expectKey;
    std::vector<QString> keys;
};

} // namespace

bool JsonStructure::check(QByteArrayView json, int maxDepth, QString *why)
{
    std::vector<Frame> stack;
    qsizetype i = 0;
    while (i < json.size()) {
        const char c = json[i];
        switch (c) {
        case '{':
        case '[':
            if (int(stack.size()) >= maxDepth) {
                *why = QStringLiteral("nested more than %1 deep").arg(maxDepth);
                return false;
            }
            stack.push_back({ c == '{', c == '{', {} });
            ++i;
            break;
        case '}':
        case ']':
            if (!stack.empty())
                stack.pop_back();
            ++i;
            break;
        case ',':
            if (!stack.empty() && stack.back().isObject)
                stack.back().expectKey = true;
            ++i;
            break;
        case '"': {
            const bool isKey = !stack.empty() && stack.back().isObject && stack.back().expectKey;
            const QString text = readString(json, i);
            if (isKey) {
                Frame &frame = stack.back();
                frame.expectKey = false;
                for (const QString &key : frame.keys) {
                    if (key == text) {
                        *why = QStringLiteral("the key %1 appears twice").arg(TextSanitizer::quoted(text));
                        return false;
                    }
                }
                frame.keys.push_back(text);
            }
            break;
        }
        default:
            ++i;
        }
    }
    return true;
}
