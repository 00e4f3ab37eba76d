"""reports/ids.py: a student's id and page are theirs alone, whatever the file names of a batch are."""
import itertools
import unicodedata

from autograder.reports.ids import page_name, student_id, unique_ids


def pages_apart(ids):
    """Whether the ids' pages differ, also on a case-insensitive file system."""
    pages = [page_name(student).lower() for student in ids]
    return len(set(pages)) == len(pages)


def test_same_stem_in_different_folders_gets_each_its_path():
    assert unique_ids(["e/g1/carla.ipynb", "e/g2/carla.ipynb", "e/bob.ipynb"]) == ["g1/carla", "g2/carla", "bob"]
    # two notebooks in one student's folder: their paths from the folder the batch shares
    assert unique_ids(["c/submitted/ana/xor_sgd/xor_sgd.ipynb", "c/submitted/ana/xor_sgd/otro.ipynb",
                       "c/submitted/beto/xor_sgd/xor_sgd.ipynb"]) == ["ana/xor_sgd/xor_sgd", "ana/xor_sgd/otro", "beto"]


def test_a_name_never_takes_another_students_id_or_page():
    ids = unique_ids(["e/bob.ipynb", "e/bob.a:x.ipynb", "e/ana_b.ipynb", "e/ana~b.ipynb"])
    assert ids[0] == "bob" and ids[2] == "ana_b" and len(set(ids)) == 4 and pages_apart(ids)
    assert page_name("bob") == "bob.html" and page_name("ana_b") == "ana_b.html"


def test_the_same_file_twice_and_suffix_games_still_get_distinct_ids():
    for paths in (["e/bob.ipynb", "e/bob.py", "e/bob.ipynb.ipynb"], ["e/a.ipynb", "e/a.ipynb"],
                  ["e/x#2.ipynb", "e/x.ipynb", "f/x.ipynb", "e/x#2.py"], ["solo.ipynb"], [".ipynb", "e/.ipynb"]):
        ids = unique_ids(paths)
        assert len(set(ids)) == len(ids) and pages_apart(ids), (paths, ids)


def test_case_unicode_long_and_dot_names_get_pages_of_their_own():
    nfc, nfd = unicodedata.normalize("NFC", "josé"), unicodedata.normalize("NFD", "josé")
    names = ["Ana", "ana", "ANA", nfc, nfd, "x" * 300, "x" * 299 + "y", "..", ".", "con", "CON", "nul.txt", "a/b",
             "../../etc/passwd", "~", "_", "a~0123456789ab"]
    assert pages_apart(names)
    for name in names:
        page = page_name(name)
        assert page.isascii() and "/" not in page and not page.startswith(".") and len(page.encode()) < 100, page
    assert page_name("con") != "con.html" and page_name("ana") == "ana.html"


def test_control_characters_in_a_name_are_written_out():
    assert student_id("e/a\x1b]0;t\x07.ipynb") == "a\\x1b]0;t\\x07"
    assert student_id("e/tab\tname.ipynb") == "tab\\tname"
    assert student_id("e/raw\udc9b.ipynb") == "raw\\udc9b"  # an undecodable byte of the file name
    ids = unique_ids(["e/a\x1b.ipynb", "e/a\\x1b.ipynb"])  # the written-out form of one is the other's name
    assert len(set(ids)) == 2


def test_nbgrader_layout_is_read_after_normalising_the_path():
    assert student_id("/c/submitted/ana/xor_sgd/xor_sgd.ipynb") == "ana"
    assert student_id("/c/submitted/ana/../beto/xor_sgd/xor_sgd.ipynb") == "beto"


def test_ids_are_injective_over_many_tricky_batches():
    names = ["bob", "Bob", "bob.a:x", "ana_b", "ana~b", "x#1", "..", "josé", "a b"]
    folders = ["e", "e/g1", "f/xor_sgd"]
    for combination in itertools.combinations([f"{f}/{n}.ipynb" for f in folders for n in names], 4):
        ids = unique_ids(list(combination))
        assert len(set(ids)) == 4 and pages_apart(ids), (combination, ids)
