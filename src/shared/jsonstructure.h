#pragma once

#include <QByteArrayView>
#include <QString>

// What QJsonDocument lets through but a strict reader must not: an object with the same key
// twice (which value counts is up to the parser; to us it is an error) and nesting deeper
// than a request ever needs (a stack to exhaust, in any recursive parser). Checked before
// parsing; otherwise lenient: syntax errors are the parser's to report.
class JsonStructure
{
public:
    // False (with why) when json nests deeper than maxDepth or repeats a key in an object.
    static bool check(QByteArrayView json, int maxDepth, QString *why);
};
