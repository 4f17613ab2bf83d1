#include "expect.h"

namespace {

// A line as C-like text: what a terminal would hide or garble (control characters, format
// characters, anything not ASCII) is shown as an escape, so that hostile text reads plainly.
QByteArray escaped(QStringView line, qsizetype maxChars)
{
    QByteArray out;
    out.reserve(qMin(line.size(), maxChars) + 2);
    out += '"';
    qsizetype shown = 0;
    for (const QChar c : line) {
        if (shown++ == maxChars) {
            out += "\"... (" + QByteArray::number(line.size()) + " UTF-16 units)";
            return out;
        }
        const char16_t u = c.unicode();
        if (u == u'\\' || u == u'"') {
            out += '\\';
            out += char(u);
        } else if (u == u'\t') {
            out += "\\t";
        } else if (u == u'\r') {
            out += "\\r";
        } else if (u >= 0x20 && u < 0x7f) {
            out += char(u);
        } else if (u < 0x100) {
            out += "\\x" + QByteArray::number(u, 16).rightJustified(2, '0');
        } else {
            out += "\\u" + QByteArray::number(u, 16).rightJustified(4, '0');
        }
    }
    out += '"';
    return out;
}

QByteArray failureMessage(const TestClient &client, qsizetype from, const QByteArray &expected, int timeoutMs)
{
    QByteArray message = "no " + expected + " within " + QByteArray::number(timeoutMs) + " ms";
    if (!client.isConnected())
        message += " (not connected)";
    return message + ";\n" + describeArrivedLines(client, from);
}

} // namespace

QByteArray describeArrivedLines(const TestClient &client, qsizetype from, qsizetype maxLines,
                                qsizetype maxLineChars, qsizetype maxBytes)
{
    const QStringList &lines = client.lines();
    const qsizetype arrived = lines.size() - from;
    if (arrived <= 0)
        return QByteArrayLiteral("   no line arrived since the last match");
    QByteArray shown;
    qsizetype first = lines.size();
    // From the newest backwards, as many as fit: the last lines are the ones that tell.
    while (first > from && lines.size() - first < maxLines) {
        const QByteArray line = "   " + escaped(lines.at(first - 1), maxLineChars) + '\n';
        if (!shown.isEmpty() && shown.size() + line.size() > maxBytes)
            break;
        shown.prepend(line);
        --first;
    }
    QByteArray head = "   " + QByteArray::number(arrived) +
                      (arrived == 1 ? " line arrived" : " lines arrived") + " since the last match";
    if (first > from)
        head += ", the last " + QByteArray::number(lines.size() - first) + " of them";
    head += ":\n";
    shown.chop(1);
    return head + shown;
}

LineExpectation expectLine(TestClient &client, const QRegularExpression &pattern, int timeoutMs)
{
    const qsizetype from = client.readPosition();
    LineExpectation result{ client.waitForLine(pattern, timeoutMs), {} };
    if (result.value.isNull())
        result.failure =
                failureMessage(client, from, "line matching /" + pattern.pattern().toUtf8() + '/', timeoutMs);
    return result;
}

LineExpectation expectLine(TestClient &client, const QString &exact, int timeoutMs)
{
    const qsizetype from = client.readPosition();
    LineExpectation result{ client.waitForLine(exact, timeoutMs), {} };
    if (result.value.isNull())
        result.failure = failureMessage(client, from, "line " + escaped(exact, 1000), timeoutMs);
    return result;
}

JsonExpectation expectJson(TestClient &client, const QString &type,
                           const std::function<bool(const QJsonObject &)> &accept, int timeoutMs)
{
    const qsizetype from = client.readPosition();
    JsonExpectation result{ client.waitForJson(type, accept, timeoutMs), {} };
    if (result.value.isEmpty()) {
        QByteArray expected = type.isEmpty() ? QByteArrayLiteral("JSON object line")
                                             : "JSON line of type " + escaped(type, 100);
        if (accept)
            expected += " that the test accepts";
        result.failure = failureMessage(client, from, expected, timeoutMs);
    }
    return result;
}
