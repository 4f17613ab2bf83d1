// The built groupchat-client binary as a process: its options, and its language following
// the user's locale (the translation built into it is found and loaded).
#include <QProcess>
#include <QTest>

class tst_ClientProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpFollowsTheLanguage_data();
    void helpFollowsTheLanguage();
};

void tst_ClientProcess::helpFollowsTheLanguage_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("expected");
    QTest::newRow("English") << QStringLiteral("C.UTF-8") << QStringLiteral("The groupchat desktop client.");
    QTest::newRow("Simplified Chinese")
            << QStringLiteral("zh_CN.UTF-8") << QStringLiteral("groupchat 桌面客户端。");
}

void tst_ClientProcess::helpFollowsTheLanguage()
{
    QFETCH(QString, language);
    QFETCH(QString, expected);
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("LANG"), language);
    environment.insert(QStringLiteral("LC_ALL"), language);
    environment.remove(QStringLiteral("LANGUAGE"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(GROUPCHAT_CLIENT_BINARY), { QStringLiteral("--help") });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(help.contains(expected), qPrintable(help));
    QVERIFY(help.contains(QStringLiteral("--host")));
}

QTEST_GUILESS_MAIN(tst_ClientProcess)
#include "tst_clientprocess.moc"
