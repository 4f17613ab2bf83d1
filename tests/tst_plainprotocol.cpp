#include "plainprotocol.h"

#include <QTest>

class tst_PlainProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sanitize_data();
    void sanitize();
    void lines_data();
    void lines();
};

void tst_PlainProtocol::sanitize_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain ASCII") << QByteArray("hello, world") << QStringLiteral("hello, world");
    QTest::newRow("tab kept") << QByteArray("a\tb") << QStringLiteral("a\tb");
    QTest::newRow("NUL removed") << QByteArray("a\0b", 3) << QStringLiteral("ab");
    QTest::newRow("ANSI escape loses its ESC")
            << QByteArray("\x1b[2J\x1b]0;pwned\x07hi") << QStringLiteral("[2J]0;pwnedhi");
    QTest::newRow("backspace and bell removed") << QByteArray("a\bb\a") << QStringLiteral("ab");
    QTest::newRow("CR removed") << QByteArray("a\rb") << QStringLiteral("ab");
    QTest::newRow("DEL removed") << QByteArray("a\x7f"
                                               "b")
                                 << QStringLiteral("ab");
    QTest::newRow("C1 CSI removed") << QByteArray("a\xc2\x9b"
                                                  "2Jb")
                                    << QStringLiteral("a2Jb");
    QTest::newRow("invalid UTF-8 becomes U+FFFD")
            << QByteArray("a\xff"
                          "b")
            << (QStringLiteral("a") + QChar(0xfffd) + QStringLiteral("b"));
    QTest::newRow("truncated sequence becomes U+FFFD")
            << QByteArray("ok\xe4\xbd") << (QStringLiteral("ok") + QChar(0xfffd) + QChar(0xfffd));
    QTest::newRow("Chinese kept") << QByteArray("\xe4\xbd\xa0\xe5\xa5\xbd") << QStringLiteral("你好");
    QTest::newRow("emoji kept") << QByteArray("\xf0\x9f\x98\x80") << QStringLiteral("😀");
    QTest::newRow("HTML kept as text") << QByteArray("<b>hi</b>") << QStringLiteral("<b>hi</b>");
}

void tst_PlainProtocol::sanitize()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QCOMPARE(PlainProtocol::sanitize(input), expected);
}

void tst_PlainProtocol::lines_data()
{
    QTest::addColumn<QByteArray>("actual");
    QTest::addColumn<QByteArray>("expected");

    // 13:14:15 local time, whatever the zone the test runs in.
    const QDateTime time(QDate(2026, 11, 25), QTime(13, 14, 15), Qt::LocalTime);
    ChatMessage say;
    say.time = time.toUTC();
    say.from = QStringLiteral("alice");
    say.text = QStringLiteral("hello 你好");
    ChatMessage action = say;
    action.kind = ChatMessage::Kind::Action;
    action.text = QStringLiteral("waves");

    QTest::newRow("say") << PlainProtocol::messageLine(say)
                         << QByteArray("[13:14:15] alice: hello \xe4\xbd\xa0\xe5\xa5\xbd\n");
    QTest::newRow("action") << PlainProtocol::messageLine(action) << QByteArray("[13:14:15] * alice waves\n");
    QTest::newRow("private") << PlainProtocol::privateLine(time, QStringLiteral("alice"),
                                                           QStringLiteral("bob"), QStringLiteral("psst"))
                             << QByteArray("[13:14:15] (private) alice -> bob: psst\n");
    QTest::newRow("notice") << PlainProtocol::noticeLine(QStringLiteral("alice joined"))
                            << QByteArray("* alice joined\n");
    QTest::newRow("error") << PlainProtocol::errorLine(QStringLiteral("server full"))
                           << QByteArray("! server full\n");
}

void tst_PlainProtocol::lines()
{
    QFETCH(QByteArray, actual);
    QFETCH(QByteArray, expected);
    QCOMPARE(actual, expected);
}

QTEST_APPLESS_MAIN(tst_PlainProtocol)
#include "tst_plainprotocol.moc"
