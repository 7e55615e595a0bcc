#include "http/FormParser.h"

#include <QTest>

using namespace oauthsim;

namespace {

using Items = QList<QPair<QString, QString>>;

// "name=value|name=value" with a marker for null values, so QCOMPARE shows every pair at once.
QString describe(const Items &items)
{
    QStringList out;
    for (const auto &[name, value] : items)
        out << QStringLiteral("[%1]=[%2]%3").arg(name, value, value.isNull() ? QStringLiteral("(null)") : QString());
    return out.join(QLatin1Char('|'));
}

Items parseOk(QByteArrayView text)
{
    QString error;
    const std::optional<FormParameters> params = FormParser::parse(text, &error);
    if (!params) {
        qWarning("unexpected parse failure: %s", qPrintable(error));
        return {{QStringLiteral("<parse failed>"), error}};
    }
    return params->items();
}

QByteArray pairs(int n)
{
    QByteArrayList out;
    for (int i = 0; i < n; ++i)
        out << "p" + QByteArray::number(i) + "=" + QByteArray::number(i);
    return out.join('&');
}

} // namespace

class tst_FormParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void emptyValueIsNotAbsent();
    void duplicatesKeptInOrder_data();
    void duplicatesKeptInOrder();
    void merged();
    void parameterLimit_data();
    void parameterLimit();
    void malformedPercentDoesNotCrash_data();
    void malformedPercentDoesNotCrash();
    void encodeComponent_data();
    void encodeComponent();
    void encode();
    void encodeRoundTrip_data();
    void encodeRoundTrip();
};

void tst_FormParser::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected"); // describe() of the items

    QTest::newRow("empty text") << QByteArray() << QString();
    QTest::newRow("one pair") << QByteArray("grant_type=authorization_code")
                              << QStringLiteral("[grant_type]=[authorization_code]");
    QTest::newRow("plus is a space") << QByteArray("scope=read+write") << QStringLiteral("[scope]=[read write]");
    QTest::newRow("plus in a name is a space") << QByteArray("a+b=c") << QStringLiteral("[a b]=[c]");
    QTest::newRow("%2B is a plus") << QByteArray("secret=a%2Bb") << QStringLiteral("[secret]=[a+b]");
    QTest::newRow("%2b lower case is a plus") << QByteArray("secret=a%2bb") << QStringLiteral("[secret]=[a+b]");
    QTest::newRow("%20 is a space") << QByteArray("x=a%20b") << QStringLiteral("[x]=[a b]");
    QTest::newRow("UTF-8 percent-decoding") << QByteArray("name=%E4%B8%AD") << QStringLiteral("[name]=[\u4e2d]");
    QTest::newRow("UTF-8 mixed with ASCII") << QByteArray("q=a%C3%A9b") << QStringLiteral("[q]=[a\u00e9b]");
    QTest::newRow("encoded & and = stay in the value") << QByteArray("redirect_uri=http%3A%2F%2Fx%2Fcb%3Fa%3D1%26b%3D2")
                                                       << QStringLiteral("[redirect_uri]=[http://x/cb?a=1&b=2]");
    QTest::newRow("second = belongs to the value") << QByteArray("a=b=c") << QStringLiteral("[a]=[b=c]");
    QTest::newRow("empty value") << QByteArray("a=") << QStringLiteral("[a]=[]");
    QTest::newRow("name without =") << QByteArray("a") << QStringLiteral("[a]=[]");
    QTest::newRow("name without = between pairs")
        << QByteArray("x=1&flag&y=2") << QStringLiteral("[x]=[1]|[flag]=[]|[y]=[2]");
    QTest::newRow("empty name") << QByteArray("=v") << QStringLiteral("[]=[v]");
    QTest::newRow("&& is skipped") << QByteArray("a=1&&b=2") << QStringLiteral("[a]=[1]|[b]=[2]");
    QTest::newRow("trailing &") << QByteArray("a=1&") << QStringLiteral("[a]=[1]");
    QTest::newRow("leading &") << QByteArray("&a=1") << QStringLiteral("[a]=[1]");
    QTest::newRow("only &s") << QByteArray("&&&") << QString();
    QTest::newRow("seed token request")
        << QByteArray("grant_type=authorization_code&code=Ab-_9z&redirect_uri=http%3A%2F%2Flocalhost")
        << QStringLiteral("[grant_type]=[authorization_code]|[code]=[Ab-_9z]|[redirect_uri]=[http://localhost]");
}

void tst_FormParser::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QCOMPARE(describe(parseOk(text)), expected);
}

void tst_FormParser::emptyValueIsNotAbsent()
{
    const auto params = FormParser::parse("a=&b&c=3");
    QVERIFY(params.has_value());

    QVERIFY(!params->value(u"a").isNull());
    QCOMPARE(params->value(u"a"), QString());
    QVERIFY(params->contains(u"a"));

    QVERIFY(!params->value(u"b").isNull());
    QCOMPARE(params->value(u"b"), QString());
    QVERIFY(params->contains(u"b"));

    QCOMPARE(params->value(u"c"), QStringLiteral("3"));

    QVERIFY(params->value(u"absent").isNull());
    QVERIFY(!params->contains(u"absent"));
    QCOMPARE(params->count(u"absent"), 0);
    QVERIFY(!params->isEmpty());

    const auto none = FormParser::parse("");
    QVERIFY(none.has_value());
    QVERIFY(none->isEmpty());
    QVERIFY(none->value(u"a").isNull());
    QVERIFY(none->firstRepeated().isNull());
}

void tst_FormParser::duplicatesKeptInOrder_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expectedItems");
    QTest::addColumn<QString>("firstRepeated"); // "<null>" when none
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("firstValue");

    QTest::newRow("no repeat") << QByteArray("a=1&b=2") << QStringLiteral("[a]=[1]|[b]=[2]") << QStringLiteral("<null>")
                               << QStringLiteral("a") << 1 << QStringLiteral("1");
    QTest::newRow("two codes") << QByteArray("code=X1&grant_type=g&code=Y2")
                               << QStringLiteral("[code]=[X1]|[grant_type]=[g]|[code]=[Y2]") << QStringLiteral("code")
                               << QStringLiteral("code") << 2 << QStringLiteral("X1");
    QTest::newRow("first repeated is the first name seen twice")
        << QByteArray("a=1&b=1&b=2&a=2") << QStringLiteral("[a]=[1]|[b]=[1]|[b]=[2]|[a]=[2]") << QStringLiteral("b")
        << QStringLiteral("a") << 2 << QStringLiteral("1");
    QTest::newRow("repeat with empty values") << QByteArray("scope=&scope") << QStringLiteral("[scope]=[]|[scope]=[]")
                                              << QStringLiteral("scope") << QStringLiteral("scope") << 2 << QString();
    QTest::newRow("three times") << QByteArray("x=1&x=2&x=3") << QStringLiteral("[x]=[1]|[x]=[2]|[x]=[3]")
                                 << QStringLiteral("x") << QStringLiteral("x") << 3 << QStringLiteral("1");
    QTest::newRow("names decoded before comparing")
        << QByteArray("client%5Fid=a&client_id=b") << QStringLiteral("[client_id]=[a]|[client_id]=[b]")
        << QStringLiteral("client_id") << QStringLiteral("client_id") << 2 << QStringLiteral("a");
}

void tst_FormParser::duplicatesKeptInOrder()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expectedItems);
    QFETCH(QString, firstRepeated);
    QFETCH(QString, name);
    QFETCH(int, count);
    QFETCH(QString, firstValue);

    const auto params = FormParser::parse(text);
    QVERIFY(params.has_value());
    QCOMPARE(describe(params->items()), expectedItems);
    const QString repeated = params->firstRepeated();
    QCOMPARE(repeated.isNull() ? QStringLiteral("<null>") : repeated, firstRepeated);
    QCOMPARE(params->count(name), qsizetype(count));
    QCOMPARE(params->value(name), firstValue);
}

void tst_FormParser::merged()
{
    const auto query = FormParser::parse("grant_type=authorization_code&code=Q1");
    const auto body = FormParser::parse("code=B1&client_id=c");
    QVERIFY(query && body);

    const FormParameters both = FormParameters::merged(*query, *body);
    QCOMPARE(describe(both.items()),
             QStringLiteral("[grant_type]=[authorization_code]|[code]=[Q1]|[code]=[B1]|[client_id]=[c]"));
    // Query first, as request.getParameter() sees it.
    QCOMPARE(both.value(u"code"), QStringLiteral("Q1"));
    QCOMPARE(both.firstRepeated(), QStringLiteral("code"));

    const FormParameters reversed = FormParameters::merged(*body, *query);
    QCOMPARE(describe(reversed.items()),
             QStringLiteral("[code]=[B1]|[client_id]=[c]|[grant_type]=[authorization_code]|[code]=[Q1]"));

    // The inputs are untouched.
    QCOMPARE(query->items().size(), 2);
    QCOMPARE(body->items().size(), 2);

    const FormParameters withEmpty = FormParameters::merged(FormParameters(), *body);
    QCOMPARE(describe(withEmpty.items()), QStringLiteral("[code]=[B1]|[client_id]=[c]"));
}

void tst_FormParser::parameterLimit_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<int>("items");

    QTest::newRow("255") << pairs(255) << true << 255;
    QTest::newRow("256 is the limit") << pairs(256) << true << 256;
    QTest::newRow("257 is over") << pairs(257) << false << 0;
    QTest::newRow("1000 is over") << pairs(1000) << false << 0;
    QTest::newRow("257 names without values") << QByteArrayList(257, "x").join('&') << false << 0;
    // Empty pieces between '&'s are not pairs.
    QTest::newRow("256 pairs and many empty pieces") << pairs(256) + QByteArray(500, '&') << true << 256;
}

void tst_FormParser::parameterLimit()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, accepted);
    QFETCH(int, items);

    QString error;
    const auto params = FormParser::parse(text, &error);
    QCOMPARE(params.has_value(), accepted);
    if (accepted) {
        QCOMPARE(params->items().size(), qsizetype(items));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(params->items().last().first, QStringLiteral("p%1").arg(items - 1));
    } else {
        QCOMPARE(error, QStringLiteral("More than 256 parameters"));
        // A null error pointer is allowed.
        QVERIFY(!FormParser::parse(text).has_value());
    }
}

void tst_FormParser::malformedPercentDoesNotCrash_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("name");

    QTest::newRow("%ZZ") << QByteArray("a=%ZZ&b=ok") << QStringLiteral("a");
    QTest::newRow("lone %") << QByteArray("a=%&b=ok") << QStringLiteral("a");
    QTest::newRow("% at the end of a value") << QByteArray("a=x%&b=ok") << QStringLiteral("a");
    QTest::newRow("%4 truncated") << QByteArray("a=%4&b=ok") << QStringLiteral("a");
    QTest::newRow("%ZZ in a name") << QByteArray("%ZZ=1&b=ok") << QString();
    QTest::newRow("invalid UTF-8 bytes") << QByteArray("a=%FF%FE%C3&b=ok") << QStringLiteral("a");
    QTest::newRow("overlong UTF-8") << QByteArray("a=%C0%AF&b=ok") << QStringLiteral("a");
}

void tst_FormParser::malformedPercentDoesNotCrash()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, name);

    const auto params = FormParser::parse(text);
    QVERIFY(params.has_value());
    QCOMPARE(params->items().size(), 2);
    // The well-formed neighbour is intact.
    QCOMPARE(params->items().at(1).first, QStringLiteral("b"));
    QCOMPARE(params->value(u"b"), QStringLiteral("ok"));
    if (!name.isEmpty())
        QVERIFY(!params->value(name).isNull());
}

void tst_FormParser::encodeComponent_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("space is %20") << QStringLiteral("User denied access") << QByteArray("User%20denied%20access");
    QTest::newRow(": and / kept") << QStringLiteral("http://localhost:8080/cb")
                                  << QByteArray("http://localhost:8080/cb");
    QTest::newRow("& escaped") << QStringLiteral("a&b") << QByteArray("a%26b");
    QTest::newRow("= escaped") << QStringLiteral("a=b") << QByteArray("a%3Db");
    QTest::newRow("+ escaped") << QStringLiteral("a+b") << QByteArray("a%2Bb");
    QTest::newRow("% escaped") << QStringLiteral("100%") << QByteArray("100%25");
    QTest::newRow("# escaped") << QStringLiteral("a#b") << QByteArray("a%23b");
    QTest::newRow("unreserved kept") << QStringLiteral("AZaz09-._~") << QByteArray("AZaz09-._~");
    QTest::newRow("@ and ? kept") << QStringLiteral("u@h?x") << QByteArray("u@h?x");
    QTest::newRow("sub-delims but & = + kept") << QStringLiteral("!$'()*,;") << QByteArray("!$'()*,;");
    QTest::newRow("brackets escaped") << QStringLiteral("[read]") << QByteArray("%5Bread%5D");
    QTest::newRow("quote escaped") << QStringLiteral("a\"b") << QByteArray("a%22b");
    QTest::newRow("UTF-8") << QStringLiteral("\u4e2d") << QByteArray("%E4%B8%AD");
    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("invalid scope description")
        << QStringLiteral("Invalid scope: admin") << QByteArray("Invalid%20scope:%20admin");
}

void tst_FormParser::encodeComponent()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(FormParser::encodeComponent(value), expected);
}

void tst_FormParser::encode()
{
    FormParameters params;
    params.append(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    params.append(QStringLiteral("redirect_uri"), QStringLiteral("http://localhost/cb?x=1"));
    params.append(QStringLiteral("client_secret"), QStringLiteral("[REDACTED]"));
    params.append(QStringLiteral("scope"), QStringLiteral("read write"));
    params.append(QStringLiteral("empty"), QString());
    QCOMPARE(FormParser::encode(params),
             QByteArray("grant_type=authorization_code&redirect_uri=http%3A%2F%2Flocalhost%2Fcb%3Fx%3D1"
                        "&client_secret=%5BREDACTED%5D&scope=read%20write&empty="));
    QCOMPARE(FormParser::encode(FormParameters()), QByteArray());
}

void tst_FormParser::encodeRoundTrip_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("plain") << QByteArray("a=1&b=2");
    QTest::newRow("plus and encoded plus") << QByteArray("a=x+y&b=x%2By");
    QTest::newRow("reserved characters") << QByteArray("u=http%3A%2F%2Fh%2Fp%3Fq%3D1%26r%3D2%23f");
    QTest::newRow("UTF-8") << QByteArray("name=%E4%B8%AD%E6%96%87&e=%C3%A9");
    QTest::newRow("duplicates and empties") << QByteArray("a=&a&b=1&a=2");
    QTest::newRow("names need encoding") << QByteArray("scope.read=true&a%26b=c%3Dd");
    QTest::newRow("percent itself") << QByteArray("p=100%25");
}

void tst_FormParser::encodeRoundTrip()
{
    QFETCH(QByteArray, text);
    const auto first = FormParser::parse(text);
    QVERIFY(first.has_value());
    const QByteArray encoded = FormParser::encode(*first);
    const auto second = FormParser::parse(encoded);
    QVERIFY(second.has_value());
    QCOMPARE(describe(second->items()), describe(first->items()));
    // Encoding is stable: the encoded text re-encodes to itself.
    QCOMPARE(FormParser::encode(*second), encoded);
}

QTEST_GUILESS_MAIN(tst_FormParser)
#include "tst_formparser.moc"
