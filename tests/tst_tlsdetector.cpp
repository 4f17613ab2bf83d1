#include "refusal.h"
#include "tlsdetector.h"

#include <QTest>

using Verdict = TlsDetector::Verdict;
Q_DECLARE_METATYPE(TlsDetector::Verdict)

// A connection's first bytes are judged whole: a TLS record header split over packets is still
// TLS, and text is text. Refusal lines read back as their reasons.
class tst_TlsDetector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classify_data();
    void classify();
    void refusalLines();
};

void tst_TlsDetector::classify_data()
{
    QTest::addColumn<QByteArray>("start");
    QTest::addColumn<Verdict>("verdict");

    QTest::newRow("nothing yet") << QByteArray() << Verdict::NeedMore;
    QTest::newRow("one byte of a handshake") << QByteArray("\x16") << Verdict::NeedMore;
    QTest::newRow("TLS 1.0 record") << QByteArray("\x16\x03\x01") << Verdict::Tls;
    QTest::newRow("TLS 1.2 record") << QByteArray("\x16\x03\x03") << Verdict::Tls;
    QTest::newRow("SSL 3.0 record") << QByteArray("\x16\x03\x00", 3) << Verdict::Tls;
    QTest::newRow("two bytes of a handshake decide") << QByteArray("\x16\x03") << Verdict::Tls;
    QTest::newRow("text") << QByteArray("h") << Verdict::NotTls;
    QTest::newRow("JSON") << QByteArray("{") << Verdict::NotTls;
    QTest::newRow("SYN then text") << QByteArray("\x16hi") << Verdict::NotTls;
    QTest::newRow("a future TLS record version") << QByteArray("\x16\x03\x05") << Verdict::Tls;
    QTest::newRow("SSL 2.0-compatible ClientHello, 3 bytes")
            << QByteArray("\x80\x2e\x01") << Verdict::NeedMore;
    QTest::newRow("SSL 2.0-compatible ClientHello") << QByteArray("\x80\x2e\x01\x03") << Verdict::Tls;
    QTest::newRow("SSL 2.0 ClientHello") << QByteArray("\x80\x2e\x01\x00", 4) << Verdict::Tls;
    QTest::newRow("UTF-8 text: é") << QByteArray("\xc3\xa9\n") << Verdict::NotTls;
    QTest::newRow("UTF-8 text: 你") << QByteArray("\xe4\xbd\xa0") << Verdict::NotTls;
    QTest::newRow("UTF-8, one byte so far") << QByteArray("\xe4") << Verdict::NeedMore;
}

void tst_TlsDetector::classify()
{
    QFETCH(QByteArray, start);
    QFETCH(Verdict, verdict);
    QCOMPARE(TlsDetector::classify(start), verdict);
}

void tst_TlsDetector::refusalLines()
{
    using Reason = Refusal::Reason;
    for (const Reason reason :
         { Reason::ServerFull, Reason::Banned, Reason::TooManyConnections, Reason::TooManyNewConnections }) {
        QCOMPARE(Refusal::fromLine(QByteArray("! " + Refusal::text(reason).toUtf8() + '\n')), reason);
        QVERIFY(!Refusal::code(reason).isEmpty());
    }
    QCOMPARE(Refusal::fromLine("! server full\r\n"), Reason::ServerFull);
    QCOMPARE(Refusal::fromLine("* welcome to groupchat"), Reason::None);
    QCOMPARE(Refusal::fromLine("! something else"), Reason::None);
}

QTEST_APPLESS_MAIN(tst_TlsDetector)
#include "tst_tlsdetector.moc"
