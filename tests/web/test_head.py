"""HEAD is answered wherever GET is: same status and headers, no body."""


def test_head_answers_like_get_without_a_body(client):
    for path in ("/docs", "/health", "/openapi.json", "/sparql?query=ASK%7B%7D"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.headers["content-length"] == str(len(got.content)), path
    assert client.head("/no/such/page").status_code == 404
