#pragma once

#include "testclient.h"

#include <QByteArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QString>
#include <QTest>

#include <functional>
#include <memory>

// Expectations on what a TestClient receives, for QtTest functions. Each waits like
// TestClient::waitForLine / waitForJson (bounded, default 5000 ms, never sleeping) and, when
// nothing fits, fails the test with a message that says what was expected and which lines did
// arrive since the last match (escaped, the last 20 at most, a few KB at most):
//
//   EXPECT_LINE(client, patternOrExact [, timeoutMs]);
//       a line matching a QRegularExpression, or equal to a QString.
//   EXPECT_LINE_AS(out, client, patternOrExact [, timeoutMs]);
//       the same, and assigns the line to the QString out.
//   EXPECT_JSON(client, type [, accept [, timeoutMs]]);
//       a JSON object line whose "type" is type (any, when empty) and for which
//       accept(const QJsonObject &) holds (when given).
//   EXPECT_JSON_AS(out, client, type [, accept [, timeoutMs]]);
//       the same, and assigns the object to the QJsonObject out.
//   EXPECT_FOUND(out, expectation);
//       for a LineExpectation / JsonExpectation a helper made with expectLine / expectJson:
//       assigns what it found to out, or fails with its message.
//
// client is a TestClient, a pointer to one or a std::unique_ptr<TestClient>. Like QVERIFY they
// return from the calling function on failure, so they belong in functions returning void.
// Helpers that return something use expectLine / expectJson and pass on the failure text (or
// the whole expectation, for EXPECT_FOUND).

// What an expectation found, or, when failure is not empty, why it found nothing.
struct LineExpectation
{
    QString value;
    QByteArray failure;
};
struct JsonExpectation
{
    QJsonObject value;
    QByteArray failure;
};

LineExpectation expectLine(TestClient &client, const QRegularExpression &pattern, int timeoutMs = 5000);
LineExpectation expectLine(TestClient &client, const QString &exact, int timeoutMs = 5000);
JsonExpectation expectJson(TestClient &client, const QString &type,
                           const std::function<bool(const QJsonObject &)> &accept = {}, int timeoutMs = 5000);

// The lines client received from index from on, one a line, escaped (control characters,
// backslashes, quotes and non-ASCII as \xNN / \uNNNN), the last maxLines of them, each cut to
// maxLineChars and all of it to about maxBytes; says how many were left out.
QByteArray describeArrivedLines(const TestClient &client, qsizetype from, qsizetype maxLines = 20,
                                qsizetype maxLineChars = 300, qsizetype maxBytes = 4096);

inline TestClient &expectedClient(TestClient &client)
{
    return client;
}
inline TestClient &expectedClient(TestClient *client)
{
    return *client;
}
inline TestClient &expectedClient(const std::unique_ptr<TestClient> &client)
{
    return *client;
}

#define EXPECT_LINE(client, ...) \
    do { \
        const LineExpectation expectation_ = expectLine(expectedClient(client), __VA_ARGS__); \
        if (!expectation_.failure.isEmpty()) \
            QFAIL(QByteArray(#client ": " + expectation_.failure).constData()); \
    } while (false)

#define EXPECT_LINE_AS(out, client, ...) \
    do { \
        LineExpectation expectation_ = expectLine(expectedClient(client), __VA_ARGS__); \
        if (!expectation_.failure.isEmpty()) \
            QFAIL(QByteArray(#client ": " + expectation_.failure).constData()); \
        (out) = std::move(expectation_.value); \
    } while (false)

#define EXPECT_JSON(client, ...) \
    do { \
        const JsonExpectation expectation_ = expectJson(expectedClient(client), __VA_ARGS__); \
        if (!expectation_.failure.isEmpty()) \
            QFAIL(QByteArray(#client ": " + expectation_.failure + "\n   (asked for: " #__VA_ARGS__ ")") \
                          .constData()); \
    } while (false)

#define EXPECT_JSON_AS(out, client, ...) \
    do { \
        JsonExpectation expectation_ = expectJson(expectedClient(client), __VA_ARGS__); \
        if (!expectation_.failure.isEmpty()) \
            QFAIL(QByteArray(#client ": " + expectation_.failure + "\n   (asked for: " #__VA_ARGS__ ")") \
                          .constData()); \
        (out) = std::move(expectation_.value); \
    } while (false)

#define EXPECT_FOUND(out, expectation) \
    do { \
        auto expectation_ = (expectation); \
        if (!expectation_.failure.isEmpty()) \
            QFAIL(QByteArray(#expectation ": " + expectation_.failure).constData()); \
        (out) = std::move(expectation_.value); \
    } while (false)
