import pytest

from common.pdf import ForbiddenResource, ProjectFilesFetcher, static_path


def test_pdfs_read_the_projects_static_files():
    response = ProjectFilesFetcher().fetch(
        static_path("fonts/NotoSansLao-Regular.subset.ttf")
    )
    assert response is not None


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "https://example.org/logo.png", "http://127.0.0.1:8000/"],
)
def test_pdfs_never_read_other_files_or_remote_urls(url):
    with pytest.raises(ForbiddenResource):
        ProjectFilesFetcher().fetch(url)
