#!/bin/sh
# Paths a person names (config, curation file, articles, theme files,
# sources): regular files only, never blocking, size limits, articles
# and theme files only from inside their folder; each refusal is one
# error line, exit 1, the store unchanged.  Then short names: sources
# whose names differ only in case or punctuation get distinct URLs.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REAL=$FAQTORY
# Today's bugs hang (a FIFO) or read forever (/dev/zero): every run is
# bounded, TO seconds (a timeout is a failure, exit 124).  $REAL is
# left unquoted: under `make valgrind` it is a command with arguments.
cat >"$T/fq" <<EOF
#!/bin/sh
exec timeout -s KILL \${TO:-60} $REAL "\$@"
EOF
chmod +x "$T/fq"
FAQTORY=$T/fq

C=$T/cur
mkdir -p "$C/articles" "$C/sub"
sed -n '/<!-- jsonl-example -->/,/^```$/p' "$ROOT/docs/sources.md" |
	sed '1,2d;$d' >"$T/demo.jsonl"
cp -R "$ROOT/site-template" "$T/theme"
db=$T/site.db
ini() { # extra [build] lines on stdin
	{
		printf '[site]\ntitle = Paths\ntheme = %s\ncontent_license = CC BY-SA 4.0\n[build]\n' "$T/theme"
		printf 'db = %s\nout = %s\nsource = %s\n' "$db" "$T/site" "$T/demo.jsonl"
		cat
	} >"$C/faqtory.ini"
}
# curation FILE CONTENT-OF-ARTICLE-LINE: a curation file with one article.
curation() {
	printf '[demo:17]\narticle = %s\nauthor = Jane Writer\n' "$1" >"$C/curation.ini"
}

echo 'Read *this* first.' >"$C/articles/ok.md"
ln -s ../articles/ok.md "$C/sub/inside.md"
curation articles/ok.md
echo 'curation = curation.ini' | ini
$FAQTORY build --quiet --config "$C/faqtory.ini" 2>"$T/err"
check "a build with an article inside the folder" [ $? -eq 0 ]
check "the article is published" grep -rq 'Read <em>this</em> first' "$T/site/q/demo/17/"
curation sub/inside.md
$FAQTORY build --quiet --config "$C/faqtory.ini" 2>"$T/err"
check "a symlink that stays inside the folder is fine" [ $? -eq 0 ]

# Articles from outside the curation file's folder.
curation ../../../../../../../etc/passwd
expect_fail "article: '..' leading out is refused" "$db" \
	"^faqtory: .*curation\\.ini:2: article '\\.\\./\\.\\./.*etc/passwd': outside the folder '.*cur'$" \
	-- build --quiet --config "$C/faqtory.ini"
curation /etc/passwd
expect_fail "article: an absolute path outside is refused" "$db" \
	"curation\\.ini:2: article '/etc/passwd': outside the folder" \
	-- build --quiet --config "$C/faqtory.ini"
ln -s /etc/passwd "$C/articles/passwd.md"
curation articles/passwd.md
expect_fail "article: a symlink leading out is refused" "$db" \
	"curation\\.ini:2: article 'articles/passwd\\.md': outside the folder" \
	-- build --quiet --config "$C/faqtory.ini"
check "nothing of /etc/passwd was published" sh -c "! grep -rq 'root:' '$T/site/'"

# Not regular files, and too big.
mkfifo "$C/articles/fifo.md"
curation articles/fifo.md
TO=20 expect_fail "article: a FIFO is refused at once" "$db" \
	"curation\\.ini:2: article 'articles/fifo\\.md': not a regular file$" \
	-- build --quiet --config "$C/faqtory.ini"
curation /dev/zero
TO=3 expect_fail "article: /dev/zero is refused" "$db" \
	"curation\\.ini:2: article '/dev/zero': " \
	-- build --quiet --config "$C/faqtory.ini"
mkdir "$C/articles/dir.md"
curation articles/dir.md
expect_fail "article: a folder is refused" "$db" \
	"curation\\.ini:2: article 'articles/dir\\.md': not a regular file$" \
	-- build --quiet --config "$C/faqtory.ini"
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' 'a' >"$C/articles/big.md"
curation articles/big.md
expect_fail "article: over 1 MiB is refused, the limit stated" "$db" \
	"curation\\.ini:2: article 'articles/big\\.md': larger than the 1 MiB limit$" \
	-- build --quiet --config "$C/faqtory.ini"
head -c $((1024 * 1024)) /dev/zero | tr '\0' 'a' >"$C/articles/big.md"
$FAQTORY build --quiet --config "$C/faqtory.ini" 2>"$T/err"
check "article: exactly 1 MiB is accepted" [ $? -eq 0 ]

# Other paths of the config: the curation file, sources, the config.
mkfifo "$C/cur.fifo"
echo 'curation = cur.fifo' | ini
TO=20 expect_fail "config: a FIFO as the curation file is refused" "$db" \
	"cur\\.fifo: not a regular file$" -- build --quiet --config "$C/faqtory.ini"
mkfifo "$T/src.fifo"
printf 'source = %s\n' "$T/src.fifo" | ini
TO=20 expect_fail "config: a FIFO as a source is refused at once" "$db" \
	"src\\.fifo: not a regular file or folder$" -- build --quiet --config "$C/faqtory.ini"
printf 'source = /dev/zero\n' | ini
TO=20 expect_fail "config: a device as a source is refused" "$db" \
	"/dev/zero: not a regular file or folder$" -- build --quiet --config "$C/faqtory.ini"
TO=20 expect_fail "ingest: a FIFO on the command line is refused" "$db" \
	"src\\.fifo: not a regular file or folder$" -- ingest --db "$db" "$T/src.fifo"
mkdir "$T/fifodump"
mkfifo "$T/fifodump/Posts.xml"
TO=20 expect_fail "ingest: a FIFO inside a dump folder is refused" "$db" \
	"Posts\\.xml: not a regular file$" -- ingest --db "$db" "$T/fifodump"
mkfifo "$T/config.fifo"
TO=20 expect_fail "build: a FIFO as the config is refused" "$db" \
	"config\\.fifo: not a regular file$" -- build --quiet --config "$T/config.fifo"
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >"$T/big.ini"
expect_fail "build: a config over 1 MiB is refused" "$db" \
	"big\\.ini: larger than the 1 MiB limit$" -- build --quiet --config "$T/big.ini"

# Theme files are published: nothing from outside the theme folder.
echo 'curation = curation.ini' | ini
curation articles/ok.md
$FAQTORY build --quiet --config "$C/faqtory.ini" 2>"$T/err"
check "build with the theme copied" [ $? -eq 0 ]
ln -s /etc/passwd "$T/theme/passwd.txt"
expect_fail "theme: an asset symlinked out of the folder is refused" "$db" \
	"theme/passwd\\.txt: outside the folder" -- build --quiet --config "$C/faqtory.ini"
rm "$T/theme/passwd.txt"
mkfifo "$T/theme/zz.mustache"
TO=20 $FAQTORY build --quiet --config "$C/faqtory.ini" 2>"$T/err"
check "theme: a FIFO named like a template is passed over, never read" [ $? -eq 0 ]
rm "$T/theme/zz.mustache"
rm "$T/theme/locales/en.json"
mkfifo "$T/theme/locales/en.json"
TO=20 expect_fail "theme: a FIFO locale is refused" "$db" \
	"locales/en\\.json: not a regular file$" -- build --quiet --config "$C/faqtory.ini"

# Short names: sources whose names differ only in punctuation or case
# get distinct URLs (the later source by id gets "-2"), decided once by
# ingest; the manifest never lists a path twice.
mkdir -p "$T/sn"
i=0
for n in forum_a forum-a Demo demo; do
	i=$((i + 1))
	printf '{"id": 5, "title": "Question of %s", "question": {"body": "asked in %s"}, "answers": [{"body": "answered in %s", "accepted": true}]}\n' \
		"$n" "$n" "$n" >"$T/sn/$n.jsonl"
done
printf '[site]\ntitle = Names\ncontent_license = CC BY-SA 4.0\n[build]\ndb = %s\nout = %s\n' "$T/sn.db" "$T/snsite" >"$T/sn/faqtory.ini"
for n in forum_a forum-a Demo demo; do echo "source = $n.jsonl"; done >>"$T/sn/faqtory.ini"
$FAQTORY build --quiet --config "$T/sn/faqtory.ini" 2>"$T/err"
check "short names: a build of four colliding sources" [ $? -eq 0 ]
check "short names: stored, unique, suffixed by id order" [ "$(sqlite3 "$T/sn.db" "SELECT group_concat(name || '=' || short, ' ') FROM (SELECT * FROM sources ORDER BY id)")" = "forum_a=forum-a forum-a=forum-a-2 Demo=demo demo=demo-2" ]
for n in forum_a forum-a Demo demo; do
	check "short names: the entry of $n is published" sh -c "grep -rlq 'answered in $n<' '$T/snsite/q/'"
done
check "short names: four entries at four URLs" [ "$(ls -d "$T"/snsite/q/*/5/*/ | wc -l)" = 4 ]
check "short names: no path twice in the manifest" sh -c "[ -z \"\$(awk 'NF >= 4 { print \$NF }' '$T/snsite/.faqtory-manifest' | sort | uniq -d)\" ]"
# A new source never takes over an existing short name, and a refresh
# keeps each one.
$FAQTORY ingest --quiet --db "$T/sn.db" "$T/sn/forum-a.jsonl" "$T/sn/forum_a.jsonl" 2>"$T/err"
check "short names: a refresh keeps them" [ "$(sqlite3 "$T/sn.db" "SELECT group_concat(short, ' ') FROM (SELECT * FROM sources ORDER BY id)")" = "forum-a forum-a-2 demo demo-2" ]
# A store of the previous schema (no short names) gets them when it is
# migrated, in id order.
sqlite3 "$T/sn.db" "DROP TABLE post_hrefs; DROP TABLE post_src; DROP TABLE index_neighbours; DROP TABLE issue_members; DROP TABLE issues; DROP TABLE post_links; DROP INDEX sources_short; ALTER TABLE sources DROP COLUMN short; ALTER TABLE posts DROP COLUMN url; DROP TABLE answer_choice; DROP TABLE votes; ALTER TABLE threads DROP COLUMN accepted_day; PRAGMA user_version=4"
$FAQTORY ingest --quiet --db "$T/sn.db" "$T/sn/demo.jsonl" 2>"$T/err"
check "short names: given when an older store is migrated" [ "$(sqlite3 "$T/sn.db" "SELECT group_concat(short, ' ') FROM (SELECT * FROM sources ORDER BY id)")" = "forum-a forum-a-2 demo demo-2" ]
