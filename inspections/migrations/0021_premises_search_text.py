"""Folded search column and word vocabulary for premises; on PostgreSQL unaccent, pg_trgm and
trigram indexes."""

from django.db import migrations

import inspections.textsearch

TRIGRAM_INDEX = "premises_search_trgm_idx"
WORD_INDEX = "searchword_trgm_idx"


def fill_search_text(apps, schema_editor):
    # Historical models have no custom save(): fold here with the same function.
    Premises = apps.get_model("inspections", "Premises")
    SearchWord = apps.get_model("inspections", "SearchWord")
    fold = inspections.textsearch.premises_search_text
    words = set()
    batch = []
    qs = Premises.objects.only("id", "name", "address_line", "external_id").order_by("id")
    for p in qs.iterator(chunk_size=2000):
        p.search_text = fold(p.name, p.address_line, p.external_id)
        words.update(
            w[:64] for w in p.search_text.split() if inspections.textsearch.is_vocabulary_word(w)
        )
        batch.append(p)
        if len(batch) == 2000:
            Premises.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Premises.objects.bulk_update(batch, ["search_text"])
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=2000
    )


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The CI and deployment user may create extensions; both are idempotent.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON inspections_premises "
        "USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORD_INDEX} ON inspections_searchword "
        "USING gin (word gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {WORD_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0020_merge_20261130_1725"),
    ]

    operations = [
        migrations.AddField(
            model_name="premises",
            name="search_text",
            field=inspections.textsearch.SearchTextField(
                blank=True,
                default="",
                editable=False,
                max_length=600,
                verbose_name="nội dung tìm kiếm",
            ),
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "word",
                    inspections.textsearch.SearchWordField(
                        max_length=64, primary_key=True, serialize=False
                    ),
                ),
            ],
            options={"verbose_name": "từ tìm kiếm", "verbose_name_plural": "từ tìm kiếm"},
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
