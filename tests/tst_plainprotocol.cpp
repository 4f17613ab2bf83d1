#include "chatlimits.h"
#include "plainprotocol.h"

#include <QTest>

class tst_PlainProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lines_data();
    void lines();
};

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
    // Right-to-left nicks and texts: a left-to-right mark first, each of them isolated, so
    // that a terminal laying out bidirectional text keeps the time and the nick in place.
    ChatMessage arabic = say;
    arabic.from = QStringLiteral("محمد");
    arabic.text = QStringLiteral("مرحبا all");
    QTest::newRow("right-to-left nick and text")
            << PlainProtocol::messageLine(arabic)
            << (QStringLiteral("\u200e[13:14:15] \u2068محمد\u2069: \u2068مرحبا all\u2069\n")).toUtf8();
    ChatMessage mixed = say;
    mixed.text = QStringLiteral("hello דוד");
    QTest::newRow("right-to-left word in a text")
            << PlainProtocol::messageLine(mixed)
            << (QStringLiteral("\u200e[13:14:15] alice: \u2068hello דוד\u2069\n")).toUtf8();
    // A multi-line message: a line a line, the further ones with "nick|", each line clean
    // and isolated on its own; never more than ChatLimits::maxMessageLines lines.
    ChatMessage lines = say;
    lines.text = QStringLiteral("one\n\n[13:14:15] bob: forged\nדוד");
    QTest::newRow("lines") << PlainProtocol::messageLine(lines)
                           << (QStringLiteral("[13:14:15] alice: one\n[13:14:15] alice| \n"
                                              "[13:14:15] alice| [13:14:15] bob: forged\n"
                                              "\u200e[13:14:15] alice| \u2068דוד\u2069\n"))
                                      .toUtf8();
    ChatMessage actionLines = action;
    actionLines.text = QStringLiteral("waves\nand bows");
    QTest::newRow("action lines") << PlainProtocol::messageLine(actionLines)
                                  << QByteArray("[13:14:15] * alice waves\n[13:14:15] * alice| and bows\n");
    QTest::newRow("private lines") << PlainProtocol::privateLine(time, QStringLiteral("alice"),
                                                                 QStringLiteral("bob"),
                                                                 QStringLiteral("a\nb"))
                                   << QByteArray("[13:14:15] (private) alice -> bob: a\n"
                                                 "[13:14:15] (private) alice -> bob| b\n");
    ChatMessage many = say;
    many.text = QString(ChatLimits::maxMessageLines + 2, u'\n');
    QTest::newRow("at most maxMessageLines lines")
            << QByteArray::number(PlainProtocol::messageLine(many).count('\n'))
            << QByteArray::number(ChatLimits::maxMessageLines);
    ServerEvent leave;
    leave.type = ServerEvent::Type::Leave;
    leave.nick = QStringLiteral("דוד");
    leave.text = QStringLiteral("quit");
    QTest::newRow("right-to-left nick leaves")
            << PlainProtocol::encode(leave)
            << (QStringLiteral("\u200e* \u2068דוד\u2069 left (quit)\n")).toUtf8();
}

void tst_PlainProtocol::lines()
{
    QFETCH(QByteArray, actual);
    QFETCH(QByteArray, expected);
    QCOMPARE(actual, expected);
}

QTEST_APPLESS_MAIN(tst_PlainProtocol)
#include "tst_plainprotocol.moc"
