/* Unit tests for the XML reader: OSS request bodies, entities, CDATA, and malformed input. */
#include "testutil.h"

#include <string.h>

#include "strutil.h"
#include "xml.h"

static void test_parses_delete_body_with_entities(void **state)
{
    (void)state;
    const char *body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete><Quiet>true</Quiet>"
                       "<Object><Key>a&amp;b &lt;c&gt; &#x4e2d;&#25991;</Key></Object>"
                       "<Object><Key><![CDATA[x<y]]></Key></Object></Delete>";
    mc_xml *x = NULL;
    mc_err err;
    assert_int_equal(mc_xml_parse(&x, body, strlen(body), &err), 0);
    assert_string_equal(x->name, "Delete");
    assert_string_equal(mc_xml_child_text(x, "Quiet"), "true");
    assert_int_equal(x->nchildren, 3);
    assert_string_equal(mc_xml_child_text(x->children[1], "Key"), "a&b <c> \xe4\xb8\xad\xe6\x96\x87");
    assert_string_equal(mc_xml_child_text(x->children[2], "Key"), "x<y");
    mc_xml_free(x);
    mc_buf b = MC_BUF_INIT;
    mc_xml_escape(&b, "a&<>\"'");
    assert_string_equal(b.data, "a&amp;&lt;&gt;&quot;&apos;");
    mc_buf_free(&b);
}

static void test_malformed_documents_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"", "<a>", "<a></b>", "<a>&bogus;</a>", "<a/><b/>", "<!DOCTYPE a [<!ENTITY x \"y\">]><a/>",
                         "<a x=1/>", "<a>&#0;</a>", "<a><b></a></b>", "text"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mc_xml *x = NULL;
        mc_err err;
        assert_int_equal(mc_xml_parse(&x, bad[i], strlen(bad[i]), &err), -1);
        assert_null(x);
        assert_true(mc_str_starts_with(err.msg, "malformed XML at byte "));
    }
    /* deep nesting is bounded */
    mc_buf deep = MC_BUF_INIT;
    for (int i = 0; i < 100; i++)
        mc_buf_puts(&deep, "<a>");
    for (int i = 0; i < 100; i++)
        mc_buf_puts(&deep, "</a>");
    mc_xml *x = NULL;
    mc_err err;
    assert_int_equal(mc_xml_parse(&x, deep.data, deep.len, &err), -1);
    assert_non_null(strstr(err.msg, "nesting too deep"));
    mc_buf_free(&deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_delete_body_with_entities),
        cmocka_unit_test(test_malformed_documents_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
