#include "chatcommand.h"

#include <QTest>

Q_DECLARE_METATYPE(ChatCommand::Type)

class tst_ChatCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
};

void tst_ChatCommand::parse_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<ChatCommand::Type>("type");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("text");

    using T = ChatCommand::Type;
    const QString none;
    QTest::newRow("chat") << QStringLiteral("hello all") << T::Say << none << QStringLiteral("hello all");
    QTest::newRow("chat keeps spacing")
            << QStringLiteral("  a  b ") << T::Say << none << QStringLiteral("  a  b ");
    QTest::newRow("escaped slash") << QStringLiteral("//etc/passwd") << T::Say << none
                                   << QStringLiteral("/etc/passwd");
    QTest::newRow("slash inside") << QStringLiteral("and/or") << T::Say << none << QStringLiteral("and/or");
    QTest::newRow("me") << QStringLiteral("/me waves hello") << T::Action << none
                        << QStringLiteral("waves hello");
    QTest::newRow("me without action") << QStringLiteral("/me") << T::Action << none << none;
    QTest::newRow("upper-case command")
            << QStringLiteral("/ME waves") << T::Action << none << QStringLiteral("waves");
    QTest::newRow("msg") << QStringLiteral("/msg bob are you there?") << T::Private << QStringLiteral("bob")
                         << QStringLiteral("are you there?");
    QTest::newRow("msg extra spaces") << QStringLiteral("/msg   bob    hi  there ") << T::Private
                                      << QStringLiteral("bob") << QStringLiteral("hi  there");
    QTest::newRow("msg without text")
            << QStringLiteral("/msg bob") << T::Private << QStringLiteral("bob") << none;
    QTest::newRow("msg alone") << QStringLiteral("/msg") << T::Private << none << none;
    QTest::newRow("nick") << QStringLiteral("/nick alice") << T::Nick << QStringLiteral("alice") << none;
    QTest::newRow("nick with tab") << QStringLiteral("/nick\talice") << T::Nick << QStringLiteral("alice")
                                   << none;
    QTest::newRow("nick with spaces inside")
            << QStringLiteral("/nick a b") << T::Nick << QStringLiteral("a b") << none;
    QTest::newRow("nick alone") << QStringLiteral("/nick") << T::Nick << none << none;
    QTest::newRow("who") << QStringLiteral("/who") << T::Who << none << none;
    QTest::newRow("help") << QStringLiteral("/help") << T::Help << none << none;
    QTest::newRow("quit") << QStringLiteral("/quit") << T::Quit << none << none;
    QTest::newRow("quit with reason")
            << QStringLiteral("/quit off to lunch") << T::Quit << none << QStringLiteral("off to lunch");
    QTest::newRow("bare quit") << QStringLiteral("quit") << T::Quit << none << none;
    QTest::newRow("bare quit with spaces") << QStringLiteral(" quit ") << T::Quit << none << none;
    QTest::newRow("quit in a sentence")
            << QStringLiteral("quit it") << T::Say << none << QStringLiteral("quit it");
    QTest::newRow("unknown") << QStringLiteral("/dance now") << T::Unknown << QStringLiteral("/dance")
                             << none;
    QTest::newRow("lone slash") << QStringLiteral("/") << T::Unknown << QStringLiteral("/") << none;
}

void tst_ChatCommand::parse()
{
    QFETCH(QString, line);
    QFETCH(ChatCommand::Type, type);
    QFETCH(QString, target);
    QFETCH(QString, text);

    const ChatCommand command = ChatCommand::parse(line);
    QCOMPARE(command.type, type);
    QCOMPARE(command.target, target);
    QCOMPARE(command.text, text);
}

QTEST_APPLESS_MAIN(tst_ChatCommand)
#include "tst_chatcommand.moc"
