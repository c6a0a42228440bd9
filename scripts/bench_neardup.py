"""Evaluate and time the grouping of syndicated copies on a generated set of republished stories.

Generates stories as regional outlets write them (several paragraphs of news
prose about an event: officials, places, figures, quotes), then republishes some
of them on other sites the way wire copy and network stories are republished:

- an edited headline (the grouping reads bodies only, so this never helps it);
- an added or replaced dateline (``MAKASSAR, WartaCelebes.example -``);
- the last one or two paragraphs trimmed;
- the site's own boilerplate (``Baca juga: ...`` links mid-text, an editor's
  line, a "follow us" line);
- a few words edited.

Hard negatives are in the set too: several *different* stories about one event
(same names, same places, one shared background paragraph or quote), which must
stay apart.

Prints the share of copies grouped with their original (target >= 0.95), the
share of articles put in a group with another story (target <= 1 %), pair
precision, and the grouping speed in articles per second, wall and CPU (target
>= 2,000 articles/s on 2 cores).

Usage::

    .venv/bin/python scripts/bench_neardup.py [--stories 4000] [--workers 2] [--seed 14]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines import archive, neardup  # noqa: E402
from pipelines.article import Article  # noqa: E402

SITES = ["antara-sulsel", "kabar-lebak", "warta-celebes", "suara-pantura", "kabar-papua", "radar-banten",
         "bali-post", "ambon-ekspres", "tribun-timur", "pojok-jatim"]
PLACES = ("Lebak Rangkasbitung Pandeglang Serang Cilegon Tangerang Makassar Gowa Maros Takalar Bantaeng Bone "
          "Jeneponto Sinjai Jayapura Sentani Merauke Wamena Ambon Tual Denpasar Gianyar Tabanan Buleleng Tegal "
          "Brebes Pekalongan Batang Kendal Semarang Kudus Pati Rembang Blora Malang Batu Kediri Blitar").split()
ROLES = ("Bupati|Wali Kota|Kepala Dinas Pendidikan|Kepala Dinas Kesehatan|Kapolres|Kapolsek|Ketua DPRD|"
         "Camat|Kepala Desa|Kepala BPBD|Sekretaris Daerah|Kepala Dinas Pertanian|Direktur RSUD|"
         "Kepala Dinas Perhubungan|Ketua KPU|Kepala Dinas Sosial|Kepala Bappeda|Kepala Dinas PUPR").split("|")
FIRST = ("Ahmad Budi Citra Dewi Eko Fajar Gita Hendra Indah Joko Kartika Lukman Maria Nur Oktavia Putri Rahmat "
         "Siti Taufik Umar Wahyu Yusuf Zainal Andi Baso Daeng Yohanes Markus Ketut Made Wayan Nyoman").split()
LAST = ("Santoso Wijaya Saputra Hidayat Lestari Pratama Nugroho Rahman Kurniawan Setiawan Halim Mappiasse "
        "Tandiarrang Wenda Kogoya Rumbiak Pattiasina Latuconsina Sudarsana Suardana Haryanto Syamsuddin").split()
TOPICS = {
    "banjir": ("banjir rob genangan tanggul sungai pompa air pengungsian perahu karet hujan deras drainase "
               "kali meluap warga mengungsi ketinggian air posko logistik").split(),
    "pilkada": ("pemilihan kepala daerah kotak suara rekapitulasi saksi calon pasangan kampanye debat "
                "pemilih tetap logistik pemilu tempat pemungutan suara sengketa").split(),
    "pertanian": ("petani padi sawah panen pupuk subsidi irigasi gabah harga benih hama wereng kelompok tani "
                  "penyuluh lumbung musim tanam").split(),
    "kesehatan": ("puskesmas vaksinasi imunisasi stunting gizi buruk posyandu tenaga kesehatan rumah sakit "
                  "pasien rawat inap demam berdarah nyamuk fogging obat").split(),
    "jalan": ("jalan rusak aspal berlubang perbaikan anggaran kontraktor jembatan proyek lelang "
              "pengerjaan tender pengendara kecelakaan lalu lintas").split(),
    "pendidikan": ("sekolah guru honorer murid ruang kelas beasiswa ujian kurikulum zonasi penerimaan "
                   "peserta didik seragam gedung rusak dana bos").split(),
    "ekonomi": ("harga cabai bawang beras pasar tradisional inflasi pedagang pembeli stok distribusi "
                "operasi pasar minyak goreng gula pasokan").split(),
    "kriminal": ("polisi tersangka pencurian narkoba barang bukti penangkapan penyidik pasal ancaman "
                 "hukuman penjara saksi korban laporan").split(),
}
VERBS = ("mengatakan menjelaskan menyampaikan menegaskan mengungkapkan menambahkan meminta mengimbau "
         "memastikan menyebutkan berharap mengakui menargetkan mengusulkan meninjau menyerahkan").split()
FILLER = ("yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena oleh sudah saat para "
          "sejumlah beberapa masih telah agar bahwa setelah sebelum hingga sekitar terutama").split()
BOILERPLATE_TAIL = ["Simak berita terkini lainnya di Google News.", "Ikuti kami di media sosial untuk kabar terbaru.",
                    "(ant/rls)", "Dapatkan update berita pilihan setiap hari.",
                    "Artikel ini telah tayang lebih dulu di situs jaringan kami."]


def _name(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _sentence(rng, topic_words, event):
    kind = rng.random()
    words = [rng.choice(topic_words if rng.random() < 0.45 else FILLER) for _ in range(rng.randint(9, 18))]
    clause = " ".join(words)
    if kind < 0.3:
        who = event["people"][rng.randrange(len(event["people"]))]
        return f"{who[1]} {event['place']} {who[0]} {rng.choice(VERBS)} {clause}."
    if kind < 0.5:
        return f"\"{clause.capitalize()},\" kata {rng.choice(event['people'])[0]} di {event['place']}."
    if kind < 0.65:
        return (f"Sebanyak {rng.randint(2, 900)} {rng.choice(topic_words)} di {rng.randint(2, 40)} kecamatan "
                f"{clause} pada {rng.choice(['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'])} "
                f"({rng.randint(1, 28)}/{rng.randint(1, 12)}/2024).")
    return clause.capitalize() + "."


def _paragraphs(rng, event, count):
    words = TOPICS[event["topic"]]
    return [" ".join(_sentence(rng, words, event) for _ in range(rng.randint(2, 3))) for _ in range(count)]


def make_event(rng):
    topic = rng.choice(list(TOPICS))
    return {"topic": topic, "place": rng.choice(PLACES),
            "people": [(_name(rng), rng.choice(ROLES)) for _ in range(rng.randint(2, 4))],
            "background": None}


def make_story(rng, event):
    """A story about ``event``: its own paragraphs, and the event's background paragraph (shared)."""
    if event["background"] is None:
        event["background"] = _paragraphs(rng, event, 1)[0]
    paragraphs = _paragraphs(rng, event, rng.randint(5, 9))
    paragraphs.insert(rng.randint(1, 3), event["background"])
    title = f"{event['topic'].capitalize()} di {event['place']}: {rng.choice(TOPICS[event['topic']])} " \
            f"{rng.choice(TOPICS[event['topic']])} {rng.choice(['meningkat', 'dikeluhkan', 'ditangani', 'dibahas'])}"
    return title, paragraphs


def republish(rng, title, paragraphs, site, other_titles):
    """A copy of a story as another outlet runs it."""
    paragraphs = list(paragraphs)
    if rng.random() < 0.7:  # trimmed last paragraph(s)
        paragraphs = paragraphs[: len(paragraphs) - rng.choice([1, 1, 2, 3])]
    if rng.random() < 0.5:  # a few words edited
        for _ in range(rng.randint(1, 10)):
            n = rng.randrange(len(paragraphs))
            words = paragraphs[n].split()
            words[rng.randrange(len(words))] = rng.choice(FILLER)
            paragraphs[n] = " ".join(words)
    dateline = f"{rng.choice(PLACES).upper()}, {site.replace('-', '').capitalize()}.example - "
    paragraphs[0] = dateline + paragraphs[0]
    for _ in range(rng.randint(0, 2)):  # "Baca juga" links
        paragraphs.insert(rng.randint(1, len(paragraphs) - 1), f"Baca juga: {rng.choice(other_titles)}")
    paragraphs.append(rng.choice(BOILERPLATE_TAIL))
    if rng.random() < 0.6:
        paragraphs.append(f"Editor: {_name(rng)}")
    words = title.split()
    new_title = " ".join(words[:-1] + [rng.choice(["Meningkat", "Jadi Sorotan", "Terus Dipantau", "Dikeluhkan"])])
    return new_title, paragraphs


def generate(rng, stories):
    """Articles (site, title, body, published, story id, is_copy) of ``stories`` stories and their copies."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    articles = []
    titles = []
    story_id = 0
    while story_id < stories:
        event = make_event(rng)
        for _ in range(rng.choice([1, 1, 2, 3])):  # several different stories about one event
            if story_id >= stories:
                break
            title, paragraphs = make_story(rng, event)
            titles.append(title)
            when = start + timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            home = rng.choice(SITES)
            articles.append((home, title, "\n\n".join(paragraphs), when, story_id, False))
            copies = rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
            for site in rng.sample([s for s in SITES if s != home], copies):
                copy_title, copy_paragraphs = republish(rng, title, paragraphs, site, titles[-50:])
                later = when + timedelta(minutes=rng.randint(5, 3 * 24 * 60))
                articles.append((site, copy_title, "\n\n".join(copy_paragraphs), later, story_id, True))
            story_id += 1
    rng.shuffle(articles)  # copies arrive in any order, even before the original
    return articles


def build(path: Path, articles) -> None:
    """The archive of the generated articles, stored through warta's write path (stems and groups derived)."""
    db = archive.open_archive(path)
    batch = []
    for n, (site, title, body, when, _, _) in enumerate(articles):
        url = f"https://{site}.example/berita/{n}/"
        batch.append((Article(url=url, canonical_url=url, site=site, title=title, body=body, published=when,
                              language="id"), []))
        if len(batch) == 2000:
            archive.archive_articles(db, batch)
            batch = []
    archive.archive_articles(db, batch)
    db.close()


def incremental(path: Path) -> tuple[int, float, float]:
    """Group every article again one by one, in the order they arrived (copies before originals too)."""
    db = archive.open_archive(path, create=False)
    conn = db.conn
    with db.atomic():
        conn.execute("delete from article_lsh")
        conn.execute("update articles set dup_group = null, earliest_copy = null")
        rows = conn.execute("select rowid, body from articles order by rowid").fetchall()
        grouper = neardup.Grouper(conn)
        started, cpu = time.perf_counter(), time.process_time()
        for rowid, body in rows:
            grouper.add(neardup.fingerprint(rowid, body))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return len(rows), wall, cpu


def full_regroup(path: Path, workers: int) -> tuple[int, float, float]:
    """``regroup_all`` (what ``warta reprocess`` runs): wall seconds and CPU seconds of this process and its workers."""
    db = archive.open_archive(path, create=False)
    started, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with db.atomic():
        grouped = neardup.regroup_all(db.conn, workers=workers)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    db.close()
    return grouped, wall, cpu


def _report(name: str, result: dict, grouped: int, wall: float, cpu: float, note: str) -> None:
    recall = result["grouped"] / result["copies"]
    false_share = result["mixed"] / result["articles"]
    precision = result["right_pairs"] / result["pairs"] if result["pairs"] else 1.0
    print(f"{name}: copies grouped with their original {result['grouped']}/{result['copies']} = {recall:.3f} "
          f"(target >= 0.95: {'met' if recall >= 0.95 else 'MISSED'}); articles in a group with another story "
          f"{result['mixed']}/{result['articles']} = {false_share:.2%} (target <= 1 %: "
          f"{'met' if false_share <= 0.01 else 'MISSED'}); pair precision {precision:.4f}")
    print(f"{name}: {grouped} articles in {wall:.1f} s wall = {grouped / wall:,.0f} articles/s; "
          f"{cpu:.1f} s CPU = {1000 * cpu / grouped:.2f} ms CPU per article {note}")


def evaluate(path: Path, articles) -> dict:
    db = archive.open_archive(path, create=False)
    rows = db.execute("select canonical_url, dup_group from articles").fetchall()
    db.close()
    group_of = {int(url.rstrip("/").rsplit("/", 1)[1]): group for url, group in rows}
    original_group = {}
    for n, (_, _, _, _, story, is_copy) in enumerate(articles):
        if not is_copy:
            original_group[story] = group_of[n]
    copies = [(n, story) for n, (_, _, _, _, story, is_copy) in enumerate(articles) if is_copy]
    grouped = sum(group_of[n] == original_group[story] for n, story in copies)
    stories_in_group: dict[int, set[int]] = {}
    for n, (_, _, _, _, story, _) in enumerate(articles):
        stories_in_group.setdefault(group_of[n], set()).add(story)
    mixed = sum(len(stories_in_group[group_of[n]]) > 1 for n in range(len(articles)))
    members: dict[int, list[int]] = {}
    for n in range(len(articles)):
        members.setdefault(group_of[n], []).append(articles[n][4])
    pairs = right = 0
    for stories in members.values():
        for i in range(len(stories)):
            for j in range(i + 1, len(stories)):
                pairs += 1
                right += stories[i] == stories[j]
    return {"copies": len(copies), "grouped": grouped, "articles": len(articles), "mixed": mixed,
            "pairs": pairs, "right_pairs": right}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    articles = generate(rng, args.stories)
    with tempfile.TemporaryDirectory(prefix="warta-neardup-") as folder:
        path = Path(folder) / "neardup.db"
        build(path, articles)
        copies = sum(a[5] for a in articles)
        print(f"set: {args.stories} stories, {len(articles)} articles, {copies} republished copies (seed {args.seed}); "
              f"archive {path.stat().st_size / 1e6:.0f} MB; load average {os.getloadavg()[0]:.1f}")
        # In this process first: its CPU time is all the work (worker processes of a
        # forkserver are not this process' children, so their CPU time is not counted).
        grouped, wall, cpu = full_regroup(path, 0)
        _report("regroup in one process", evaluate(path, articles), grouped, wall, cpu,
                f"-> {2 * grouped / cpu:,.0f} articles/s on 2 cores by CPU time (target >= 2,000: "
                f"{'met' if 2 * grouped / cpu >= 2000 else 'MISSED'})")
        if args.workers > 1:
            grouped, wall, _ = full_regroup(path, args.workers)
            result = evaluate(path, articles)
            print(f"regroup on {args.workers} workers: same groups {result['grouped']}/{result['copies']}; "
                  f"{grouped} articles in {wall:.1f} s wall = {grouped / wall:,.0f} articles/s (target >= 2,000: "
                  f"{'met' if grouped / wall >= 2000 else 'MISSED'} by wall time; load average "
                  f"{os.getloadavg()[0]:.1f})")
        grouped, wall, cpu = incremental(path)
        _report("incremental", evaluate(path, articles), grouped, wall, cpu,
                "(one process, articles in arrival order, as a crawl stores them)")


if __name__ == "__main__":
    main()
