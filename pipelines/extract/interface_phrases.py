"""The phrases interface blocks say, in the languages of the corpora: the lexicon text_cleanup reads.

Whole-line phrases (a share button's label, a comment form's, a newsletter box's, an advertisement's),
the labels teasers open with, the headings of lists of other stories, and the word pairs that make a
short line a prompt (a newsletter word and a sign-up verb, a comment word and a moderation word).

Where the phrases come from:
- English, and the translations of the comment form: WordPress core's own strings ("Leave a Reply",
  "Your email address will not be published. Required fields are marked *", "Cancel reply") and their
  translations on translate.wordpress.org (de, fr, es, it, pt, nl, pl, ru, tr, sv, da, nb, fi, cs);
  WordPress runs most of the blogs and many of the news sites that trafilatura leaves these in.
- The share, newsletter, teaser, reading-time and advertisement words: the labels of those widgets
  as they appear on the pages of ../shared/corpora (fundus_publisher_tests covers 41 countries) and
  in the class and id vocabulary trafilatura's own discard rules match on (trafilatura/xpaths.py:
  share, newsletter, related, teaser, comments, ad), translated to the visible labels.
"""

from __future__ import annotations

import re

from pipelines.extract.call_to_action import TAG_LABELS
from pipelines.extract.literal_gate import gated
from pipelines.extract.site_notices import AD_WORDS

# Headings of lists of other stories, in the languages of the corpora.
_RELATED = [
    r"related(?: articles| stories| posts| content| news| topics)?|read more|read next|more stories|"
    r"you may also like|you might also like|recommended(?: for you| stories| videos)?|most read|most popular|"
    r"more from .{1,40}|more on this story|top stories|trending(?: now)?|more|popular(?: (?:now|on .{1,40}))?|"
    r"don'?t miss|editor'?s picks|related (?:videos?|coverage)|more videos|latest (?:news|stories|headlines|articles)|"
    r"breaking news|top headlines|also read|read also|what to read next|popular stories|recommended by|"
    r"explore more on (?:this|these) topics?|recommended reading|más información|"
    r"(?:v[íi]deos:? )?mais (?:lidas|lidos|assistidos|vistos)(?: d[oa] .{1,30})?|"
    r"(?:ähnliche|verwandte|weitere|passende) (?:artikel|beiträge|themen|nachrichten)|articles (?:similaires|liés)|"
    r"(?:artículos|noticias|artigos|notícias|articoli|notizie) (?:relacionad[oa]s|correlat[ie]|simil[ai]r?es)|"
    r"gerelateerde (?:artikelen|berichten)|похожие (?:статьи|материалы|новости)|связанные (?:статьи|материалы)",
    r"das (?:thema )?könnte (?:sie|dich|euch) auch interessieren|mehr zum thema(?: (?:auf|bei) .{1,40})?|weitere artikel|"
    r"meistgelesen|empfohlene artikel|top[- ]themen(?: (?:bei|auf|von) .{1,40})?|"
    r"weitere (?:artikel|beiträge|nachrichten) (?:zum thema|aus .{1,40})|empfohlene beiträge|mehr themen|schon gelesen|"
    r"mehr artikel aus dieser rubrik(?: gibt es hier)?(?: .{1,40})?|"
    r"meist[- ]?(?:gelesen|diskutiert|kommentiert)|(?:meist )?kommentierte artikel|contenido relacionado|"
    r"lesen sie auch(?: (?:die|diese) (?:folgenden )?(?:beiträge|artikel))?|auch interessant|weiterlesen|mehr lesen|"
    r"zum thema|ähnliche artikel|neueste (?:artikel|nachrichten|beiträge)|meistgelesene (?:artikel|beiträge)|top-artikel",
    r"[àa] lire aussi(?: sur .{1,40})?|lire aussi(?: sur .{1,40})?|sur le même sujet|les plus lus|articles similaires|lire la suite|voir aussi|"
    r"dernières (?:actualités|infos|nouvelles)|les plus populaires",
    r"te puede interesar|noticias relacionadas|lo más leído|leer más|lee también|lea también|lea además|seguir leyendo|últimas noticias|"
    r"lo más visto|más noticias",
    r"leggi anche|potrebbe interessarti|articoli correlati|i più letti|leggi di più|continua a leggere|approfondimenti|"
    r"ultime notizie|i più visti",
    r"leia também|veja também|leia mais|notícias relacionadas|mais lidas|últimas notícias",
    r"lees ook|lees meer|meest gelezen|gerelateerde artikelen|zie ook|laatste nieuws",
    r"czytaj (?:też|także|więcej|dalej)|zobacz (?:też|także)|najczęściej czytane|najnowsze|najpopularniejsze|"
    r"powiązane (?:artykuły|tematy|wiadomości)",
    r"читайте также|читать далее|смотрите также|по теме|(?:новости|материалы|статьи) по теме",
    r"ayrıca okuyun|ilginizi çekebilir|devamını oku|en çok okunanlar|i\u0307?lgili haberler|bunu da okuyun",
    r"související články|čtěte (?:také|též)|kapcsolódó (?:cikkek|hírek)",
    r"läs (?:också|mer)|mest läst|les også|les mer|læs også|læs mere|lue myös|lue lisää",
    r"関連記事|相关文章|相关阅读|관련\s?기사",
    # the headings of "more stories" boxes in the corpora's East Asian and German pages (fundus_publisher_tests)
    r"(?:\S+ )?주요\s?뉴스|많이 본 뉴스|관련\s?뉴스|おすすめ(?:情報|記事)|関連(?:ニュース|キーワード)|人気記事|注目記事|"
    r"相关新闻|推荐阅读|热门文章|ähnliche|weiterführende links|beiträge aus dem forum",
    # the post's tags, a label alone over their list
    TAG_LABELS,

]
# "More Must-Reads From TIME", "More Top Stories from Example": in title case, as English headings are
# set; "More students from the region enrolled" is a sentence
MORE_FROM = re.compile(r"^More (?:[A-Z][\w'’-]*\s){1,2}[Ff]rom \S[^.!?]{0,40}$")

# the networks share and follow buttons name
_NETWORK = (r"(?:facebook|twitter|x|linkedin|whatsapp|instagram|pinterest|e-?mail|telegram|reddit|threads|bluesky|"
            r"mastodon|xing|flipboard|messenger|tiktok|youtube|sms)")

# Whole-line interface phrases, matched after casefolding and trimming punctuation at the ends.
_WHOLE_LINE = [
    # share
    r"share(?: (?:this|the))?(?: article| story| post| page| on| via)?(?: (?:facebook|twitter|x|linkedin|whatsapp|e-?mail))?",
    r"tweet|e-?mail|print|facebook|twitter|linkedin|whatsapp|pinterest|reddit|telegram",
    # share, copy-link and error-report buttons of Japanese, Korean, Chinese and Hindi news sites
    r"(?:この(?:ニュース|記事)を)?シェア|記事(?:を)?保存|(?:기사 )?url(?:이|을)? 복사(?:되었습니다|하기)?|공유하기|"
    r"分享(?:到|让更多人看到)?|纠错|打印|收藏|कॉपी लिंक|शेयर करें|责任编辑\s*[:：].{1,20}",
    # the same widgets' other buttons: like, follow, read on, font size, scrap, the reprint notice
    # (Japanese, Korean and Chinese news sites of fundus_publisher_tests and newspaper4k)
    r"ツイート|いいね|フォロー(?:する)?|(?:この(?:記事|ニュース)を)?シェアする|続きを(?:読む|見る)|もっと見る|記事を読む|"
    r"無断転載(?:・複製)?を禁じます|(?:기자 )?구독(?:하기)?|무단\s?전재(?:\s?및\s?재배포)?\s?금지|좋아요|(?:기사 )?공유(?:하기)?|"
    r"댓글(?:\s?\d+)?|(?:기사 )?스크랩|프린트|인쇄|글자\s?크기|字体\s*[:：]?\s*大\s*中\s*小|扫一扫|"
    # "关注我们的微信公众号" (follow our WeChat account), "扫码关注"
    r"(?:扫码)?关注(?:我们的?)?(?:微信)?(?:公众号|微博|视频号).{0,20}|扫码关注.{0,20}|"
    r"分享到(?:微信|微博|qq空间|qq)|阅读全文|打开app|点击(?:查看|阅读)(?:全文|更多)?|编辑\s*[:：]\s*\S{1,20}",
    # Nordic, Czech, Hungarian, Russian share and copy buttons, a channel's call
    rf"del (?:artikkelen|saken|denne saken)|del på {_NETWORK}|kopier(?:e)? lenk(?:e|en)|kopiér link|kopiera länk(?:en)?|"
    r"jaa artikkeli|nyhetsbrev|nyhedsbrev|uutiskirje|sdílet článek|cikk megosztása|"
    r"подписывайтесь на (?:наш )?(?:канал|telegram|телеграм)(?:[- ]канал)?.{0,40}",
    # the box of a newsletter by its name alone, "Unser Newsletter: Jeden Morgen ...", and Google's
    # "preferred source" button
    r"(?:unser|our|notre|nuestro|nuestra|il nostro|la nostra|nossa|onze) (?:[\w-]+ )?newsletter(?: .{1,80})?|"
    r"(?:add|make|set) .{1,40} (?:as )?a (?:preferred|trusted) source on google",
    r"(?:artikel |beitrag )?teilen|(?:diesen )?artikel teilen|auf facebook teilen|teilen mit|drucken|link kopieren",
    r"partager(?: cet article| sur facebook| sur twitter)?|imprimer",
    r"compart(?:ir|e|a)(?: este artículo| esta noticia| en facebook| en twitter)?|compartilhe?(?: este artigo| esta notícia| esta matéria)?|"
    r"partilhar|imprimir",
    r"condividi(?: questo articolo| su facebook)?|stampa",
    r"del(?:en)?(?: dit artikel)?|deel(?: dit artikel| dit bericht)?|udostępnij(?: artykuł| (?:na|w) \w+)?|"
    r"поделиться(?: стать[её]й| новостью)?|per (?:e-?mail|whatsapp|sms) teilen|"
    # print and save-for-later buttons in more languages: "Afdrukken", "Drukuj", "Artikel speichern"
    r"afdrukken|drukuj|wydrukuj|tisknout|nyomtatás|печать|yazdır|(?:artikel|beitrag) (?:speichern|merken)|"
    r"enregistrer (?:l'|cet )article|zapisz (?:artykuł|na później)|(?:bewaar|opslaan)(?: dit)? artikel|salvar (?:artigo|matéria)|"
    r"paylaş|dela(?: artikeln)?|jaa|sdílet|megosztás",
    # "Teilen auf", "Partager sur Instagram", "Share via WhatsApp", "Auf Facebook teilen"; "Like us on Facebook"
    rf"(?:share|teilen|partager|compartir|compartilhar|condividi|delen|deel|udostępnij)"
    rf" (?:on|auf|via|über|sur|par|en|por|no|su|op|per|mit|na|w)(?: {_NETWORK})?|"
    rf"(?:auf|on|sur|en|no|su|op) {_NETWORK} (?:teilen|share|partager|compartir|compartilhar|condividi|delen)|"
    rf"(?:liken sie|like|likez) (?:uns|us|nous) (?:auf|on|sur) {_NETWORK}",
    # a share box's other buttons, its copy button and what it prints: "Tweet this", "Pin it", "Copy link",
    # "Copier le lien", "Link copied to clipboard", "Link in die Zwischenablage kopiert", "Lien copié"
    r"tweet (?:this|it)|pin it|(?:e-?mail|send) (?:this|the) (?:article|story|page|post|link)(?: to a friend)?|"
    r"share (?:this|the) (?:article|story|post|page) with (?:a friend|friends|your friends|others)|"
    r"teilen sie (?:diesen|den) (?:artikel|beitrag)|partager (?:l'|cet )article|"
    r"(?:(?:the )?link )?copied(?: to (?:the )?clipboard)?|(?:link|url) (?:in die zwischenablage )?kopiert|"
    r"lien copié|enlace copiado|link copiato|link gekopieerd|link copiado|skopiowano(?: link)?|"
    r"cop(?:y|ier|iar|ia|iare) (?:the |le |el |il |o )?(?:link|lien|enlace|url)|kopiuj link|link kopiëren",
    # the reader's text-size buttons: "Font size", "Text size A A A", "Schriftgröße"
    r"(?:font|text) size(?: [a+−-]{1,3})*|schriftgr(?:ö|o)(?:ß|ss)e(?: [a+−-]{1,3})*|taille (?:du texte|de (?:la )?police)|"
    r"tamaño (?:de (?:la )?)?(?:letra|fuente|texto)|dimensione (?:del )?(?:testo|carattere)|tamanho (?:da )?(?:fonte|letra)|"
    r"lettergrootte|rozmiar (?:czcionki|tekstu)",
    # the link to the error form and the corrections policy: "Report an error", "Fehler melden"
    r"report (?:an? )?(?:error|typo|mistake|issue|correction)|(?:send us|submit|request) a correction|corrections? policy|"
    r"fehler melden|signaler une (?:erreur|faute)|reportar (?:un )?error|segnala(?:re)? un errore|reportar (?:um )?erro|"
    r"fout melden|zgłoś błąd",
    # a breadcrumb trail from the home page: "Home » Politics » Council", "Startseite / Nachrichten"
    r"(?:home(?: ?page)?|startseite|accueil|inicio|portada|início|página inicial|strona główna|главная)"
    r"(?:\s*[»›>/|]\s*[^»›>/|]{1,40}){1,6}",
    # the way back: "Zurück zur Startseite", "Back to top", "Retour à l'accueil"
    r"(?:zurück )?zur startseite|back to (?:top|home(?:page)?|the homepage)|retour (?:à l'accueil|en haut(?: de (?:la )?page)?)|"
    r"volver (?:a la portada|al inicio|arriba)|torna (?:alla home(?:page)?|su|all'inizio)|voltar (?:ao início|ao topo)|"
    r"terug naar (?:boven|home|de homepage)|nach oben|powrót do strony głównej",
    # the reservation of rights alone, the copyright notice's tail on a line of its own: "All rights
    # reserved.", "Alle Rechte vorbehalten." (the notice itself, "© 2024 Example News. All rights reserved.",
    # stays: human reference texts keep it as often as they leave it out)
    r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
    r"tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden|wszelkie prawa zastrzeżone|"
    r"все права защищены|tüm hakları saklıdır",
    # a comment box's script placeholder, and what a paywall's log-in button says: "Please enable JavaScript to
    # view the comments powered by Disqus.", "Sign in to continue reading"
    # (a how-to's step, "Enable JavaScript in Chrome's settings", says no more than that)
    r"(?:please )?(?:enable|turn on|activate) javascript(?: in your browser)? to (?:view|see|watch|read|use|load|display|"
    r"continue|comment)\b.{0,80}|javascript (?:is )?(?:required|disabled)\b.{0,80}|"
    r"bitte aktivieren sie javascript.{0,80}|activez (?:le )?javascript.{0,60}|"
    r"(?:sign in|log in|register|subscribe)(?: for free)? to (?:continue reading|keep reading|read (?:more|on|the full (?:article|story)))",
    # a newsletter box's field and its label: "Enter your email address", "Ihre E-Mail-Adresse", "Votre adresse e-mail"
    r"(?:enter |type )?(?:your |ihre |deine |votre |tu |su |la tua |il tuo |seu |sua |o seu |a sua |je |uw |twój )?"
    r"(?:e-?mail(?:[- ]?(?:address|adresse|adres|adresa))?|adresse (?:e-?mail|électronique|de messagerie)|"
    r"correo(?: electrónico)?|indirizzo e-?mail|endereço de e-?mail)(?: eingeben| here| ein)?",
    # a handle alone: the author's, under the byline or the bio
    r"@[\w.]{2,30}",
    # a label alone over the post's tags or category, and the category in words: "Topics", "Posted in News"
    r"topics?|themen|sujets|temas|argomenti|onderwerpen|posted in [\w&'’-]+(?: [\w&'’-]+){0,3}",
    # a Polish site's invitation to subscribe: "Zapraszamy też do subskrypcji tygodnika ..."
    r"zapraszamy (?:też |również )?do (?:subskrypcji|prenumeraty)\b.{0,160}",
    # the call to read on elsewhere: "Read more about the council's plans here.", "Hier lesen Sie mehr über ..."
    r"(?:read|find out|learn) more about .{1,80} (?:here|on our (?:website|site)|at \S+)|hier lesen sie mehr\b.{0,80}|"
    r"mehr (?:dazu|darüber) lesen sie hier.{0,60}",
    # the link on to the rest: "Continue reading", "Read the full story", "Weiterlesen nach der Anzeige"
    r"(?:keep|continue) reading(?: below| here)?|read (?:the )?full (?:article|story)|full story|"
    r"(?:hier )?weiterlesen(?: nach der (?:anzeige|werbung))?|lire la suite|seguir leyendo|continua a leggere|continuar lendo",
    # an author box's heading and its link to the author's other stories: "About the author", "Über die
    # Autorin", "More articles by Jane Doe", "Alle Artikel von Jane Doe"
    r"about the authors?|über (?:die autorin|den autor|die autor(?:inn)?en)|zu(?:r autorin|m autor)|"
    # the box's label alone over the name: "Written by", "Geschrieben von", "Écrit par"
    r"(?:written|posted|words|reported) by|(?:geschrieben|verfasst) von|escrito por|écrit par|scritto da|"
    r"geschreven door|napisane przez|написано|yazan|"
    r"à propos de l'aut(?:eur|rice)|sobre (?:el|la|o|a) autora?|(?:sul)?l'autore|(?:sul)?l'autrice|over de auteur|o autorze|об авторе|"
    # (the author's name: a few words; "More stories from the front line emerged" is a sentence)
    r"yazar hakkında|(?:(?:(?:view|see|read) )?(?:more|all|other) (?:articles|stories|posts) (?:by|from)|alle (?:artikel|beiträge|texte) von|"
    r"mehr (?:artikel|beiträge) von|(?:plus d'articles|tous les articles|autres articles) (?:de|par)|"
    r"más (?:artículos|noticias) de|altri articoli di|mais (?:artigos|notícias) de) [\w.'’-]+(?: [\w.'’-]+){0,3}|"
    r"alle (?:artikel|beiträge|texte) (?:der autorin|des autors)",
    # the author's handle behind its network's name, under the byline or the bio: "X: @janedoe"
    # (an address alone stays: a petition's or an office's, as often as the author's)
    rf"{_NETWORK}\s*:?\s*@[\w.]{{2,30}}",
    # a photo's caption and source labels, the BBC's way: "Image source, Getty Images", "Image caption,"
    # (the key has lost its inner commas)
    r"image (?:source|caption),?(?: .{1,60})?|media caption,?(?: .{1,60})?|bildquelle(?: .{1,60})?|"
    # a photo's agency alone, or after its photographer: "Getty Images", "AFP via Getty Images", "Jane Doe/dpa"
    r"(?:[^.!?]{1,40}(?: via |/| / ))?(?:getty images|afp|reuters|ap photo|dpa|epa(?:-efe)?|shutterstock|"
    r"imago(?: images)?|keystone|anadolu(?: agency)?|istock(?:photo)?|alamy|picture[- ]alliance)",
    # a post's advertising disclosure alone: "Enthält Werbung", "Dieser Beitrag enthält Werbung"
    r"(?:dieser (?:beitrag|artikel|text|post) )?enthält (?:unbezahlte |bezahlte )?(?:werbung|affiliate-links|werbelinks)|"
    r"(?:this (?:post|article) )?contains (?:paid |sponsored )?(?:advertising|affiliate links)",
    # the site's app, its alerts, its podcast, its live coverage, its tip line and its advertisers
    r"download the .{1,40} app|(?:turn on|enable|allow) (?:push )?notifications|sign up for (?:breaking )?news alerts|"
    r"(?:listen to|subscribe to) our podcast|podcast|follow our live (?:coverage|updates|blog)|send us your (?:tips|news|photos)|"
    r"have a (?:news )?tip\??(?: contact us| email us| let us know)?|contact the newsroom|advertise with us|"
    r"(?:(?:presented|brought to you) by|in partnership with) [\w&'’.-]+(?: [\w&'’.-]+){0,4}|"
    # a newsletter box's pitch: "Stay up to date with our daily newsletter", "The best stories, delivered to
    # your inbox every morning", "Recevez chaque matin l'essentiel de l'actualité"
    r"stay (?:up to date|informed|in the know) with our .{0,30}newsletter|"
    r"(?:the )?(?:best|top|latest|biggest) (?:stories|news|headlines),? delivered (?:to your inbox|straight to you).{0,30}|"
    r"recevez (?:chaque (?:matin|soir|jour)|gratuitement) l'essentiel de l'actualité.{0,30}|"
    r"don'?t miss out\W*subscribe (?:today|now)|get \d+% off your first (?:year|month|\d+ months)",
    # a paid post's label, an ad's "continue" line, a membership button
    r"paid (?:post|content|partnership)|partner content|promoted(?: content| post)?|sponsored (?:post|article)|"
    r"(?:artigo|conteúdo|contenido|artículo) patrocinado|contenu sponsorisé|(?:contenuto|articolo) sponsorizzato|"
    r"gesponsorde? (?:inhoud|artikel|content)|(?:artykuł|treść) sponsorowan[ya]|gesponserter (?:inhalt|beitrag)|"
    r"scroll (?:down )?to continue(?: (?:with (?:the )?content|reading))?|become a (?:member|subscriber|supporter|patron)|"
    r"watch(?: now| live)?|listen now|audio version of this (?:article|story)",
    # print and bookmark buttons: "Seite drucken", "Print this article", "Auf die Merkliste", "Save for later"
    r"(?:seite|artikel|beitrag) drucken|print (?:this )?(?:page|article|story)|"
    r"imprimer (?:cet article|la page|cette page|l'article)|imprimir (?:el )?(?:artículo|página)|imprimir esta página|"
    r"stampa (?:l'articolo|la pagina|questa pagina)|artikel printen",
    r"(?:auf die |zur )?merkliste(?: hinzufügen| setzen)?|(?:artikel )?merken|zur leseliste(?: hinzufügen)?|"
    r"save (?:article|story|for later|to reading list)|bookmark (?:this|article|story)|"
    r"add to (?:reading list|bookmarks|favou?rites)|ajouter (?:à mes|aux) favoris|guardar (?:artículo|noticia)|"
    r"salva (?:articolo|per dopo)",
    # the links to the neighbouring posts: "Vorschau auf den nächsten Artikel", "Previous article"
    r"(?:vorschau auf den )?nächste[nr]? artikel|vorheriger artikel|(?:next|previous) (?:article|post|story)|"
    r"article (?:suivant|précédent)|art[íi]culo (?:siguiente|anterior)|(?:siguiente|anterior) artículo|"
    r"articolo (?:successivo|precedente)|(?:próximo|anterior) artigo|(?:volgend|vorig) artikel",
    # "load more" buttons: "Load more stories", "weitere Pressemitteilungen laden"
    r"(?:load|show|view) more(?: (?:articles|stories|posts|news|comments|results))?|mehr laden|weitere (?:[\w-]+ )?laden|"
    r"mehr anzeigen|charger plus(?: d'articles)?|afficher plus|voir plus|cargar más(?: noticias)?|ver más|carica altr[io]|"
    r"mostra altr[io]|meer laden|toon meer|carregar mais",
    # comment forms and notices
    r"leave a (?:comment|reply)|add a comment|post a comment|post comment|submit comment|cancel reply|reply",
    # "3 Kommentare", "12 commentaires", "New comments", "Kommentare werden geladen..."
    r"\d+\s+(?:comments?|kommentare?|commentaires?|comentarios?|comentários|commenti|reacties|komentarz[ey]?|"
    r"комментари[йяев]?|yorum)|(?:neue|new|nouveaux|nuevos|nuovi) (?:kommentare|comments|commentaires|comentarios|commenti)|"
    r"(?:kommentare|comments) (?:werden geladen|(?:are )?loading)|loading comments|chargement des commentaires|"
    r"cargando comentarios|caricamento (?:dei )?commenti|"
    r"comments?|no comments(?: yet)?|keine kommentare|aucun commentaire|sin comentarios|nessun commento|geen reacties|be the first to comment|show comments|view comments|"
    r"load comments|comments are closed|join the (?:conversation|discussion)|comment on this (?:story|article|post)|"
    # a comment thread's controls: its sorting, a comment's buttons and age, the box's prompt
    r"sort by:? (?:newest|oldest|best|top|popular|most (?:recent|liked|popular))|(?:newest|oldest) first|"
    r"report (?:abuse|(?:this )?comment)|(?:reply|like|report|share)(?: · (?:reply|like|report|share|\d+\s?[smhdw]))+|"
    r"(?:log|sign) in to join the (?:conversation|discussion)|write a comment(?:\.\.\.|…)?|"
    r"(?:écrire|écrivez) un commentaire|escribe (?:tu|un) comentario|scrivi un commento|"
    r"votre commentaire sera publié après (?:modération|validation)|"
    r"comments powered by disqus|commenta|"
    # the comments' heading and the invitation in the corpora's other scripts and in Hungarian
    r"(?:оставить|добавить|написать) комментарий|комментарии|コメント(?:する|を書く)?|评论|評論|留言|hozzászólások?",
    r"your email address will not be published.*|required fields are marked.*",
    r"schreibe einen kommentar|kommentar schreiben|kommentar abgeben|kommentare?|kommentieren|comentar|commenter|antworten|antwort abbrechen|"
    r"(?:deine|ihre) e-mail-adresse wird nicht veröffentlicht.*|erforderliche felder sind .*markiert",
    r"laisser un commentaire|commentaires?|répondre|annuler la réponse|"
    r"votre adresse (?:e-mail|de messagerie) ne sera pas publiée.*",
    r"deja un comentario|deja una respuesta|comentarios?|responder|cancelar respuesta|"
    r"tu dirección de correo electrónico no será publicada.*",
    r"lascia un commento|lascia un commento|commenti|rispondi|annulla risposta|"
    r"il tuo indirizzo email non sarà pubblicato.*",
    r"deixe um comentário|deixe uma resposta|comentários|cancelar resposta|"
    r"o seu endereço de e-?mail não será publicado.*",
    r"geef een reactie|laat een reactie achter|reacties?|"
    r"je e-?mailadres wordt niet gepubliceerd.*",
    r"dodaj komentarz|skomentuj|komentarze|"
    r"twój adres e-?mail nie zostanie opublikowany.*",
    r"добавить комментарий|комментарии|ответить|"
    r"ваш адрес (?:email|электронной почты) не будет опубликован.*",
    r"yorum yap|yorumlar|bir yanıt yazın|e-posta adresiniz yayınlanmayacak(?: gerekli alanlar)?.*",
    r"lämna en kommentar|kommentarer|skriv en kommentar|din e-postadress kommer inte publiceras.*",
    r"kommenter|skriv en kommentar|din e-mailadresse vil ikke blive publiceret.*|"
    r"din e-postadresse vil ikke bli publisert.*",
    r"kommentoi|kommentit|sähköpostiosoitettasi ei julkaista.*",
    r"přidat komentář|komentáře|vaše e-mailová adresa nebude zveřejněna.*",
    # advertising
    AD_WORDS + r"|sponsored by .{1,40}",
    # the line an ad slot leaves: "Article continues after advertisement", "Weiter nach der Anzeige", "La suite
    # après cette publicité"; the ad networks' own labels ("Ads by Google", "Recommended by Outbrain")
    r"(?:the )?(?:article|story|text) continues (?:after|below) (?:the |this )?(?:advertisement|ad)|"
    r"continue reading (?:after|below) the (?:ad|advertisement)|(?:lesen sie )?weiter nach der (?:anzeige|werbung)|"
    r"(?:der )?(?:artikel|text) (?:wird|geht) (?:nach der|unter der) (?:anzeige|werbung) (?:fortgesetzt|weiter)|"
    r"la suite (?:après|sous) (?:cette|la) publicité|contin[úu]a (?:leyendo )?(?:después del|debajo del|tras el) anuncio|"
    r"la nota sigue (?:debajo|después) del anuncio|continua (?:a leggere )?dopo la pubblicità|"
    r"continua (?:após a|depois da) publicidade|het artikel gaat verder (?:onder|na) de advertentie|"
    r"(?:dalsza część artykułu|artykuł kontynuowany) (?:pod|poniżej) (?:reklamą|reklamy)|artykuł kontynuowany poniżej|"
    r"ads by google|promoted (?:stories|content|links)|recommended by (?:outbrain|taboola)|around the web|"
    r"from our partners|partner-?inhalte|werbung ausblenden|report this ad|adchoices|"
    rf"(?:{AD_WORDS}) \| [\w&'’.-]+(?: [\w&'’.-]+){{0,3}}|"
    # a video ad's skip button
    r"passer la publicité|skip (?:the )?ad(?:vertisement)?|(?:werbung|anzeige) überspringen|"
    r"saltar (?:la )?publicidad|salta (?:la )?pubblicità|pular (?:o )?anúncio|advertentie overslaan",
    *_RELATED,
    # newsletter and sign-up calls to action
    r"subscribe|sign up|sign in|log in|register|subscribe now|sign up now|newsletter|get the newsletter",
    # a news mail's box heading: "Get daily National news"; the log-in links of Japanese, Korean and Chinese sites
    r"get (?:daily|weekly) (?:[\w-]+ ){0,2}news|ログイン|ログアウト|会員登録|新規登録|로그인|로그아웃|회원가입|登录|注册",
    r"jetzt (?:kostenlos |gratis )?(?:abonnieren|anmelden|registrieren)|abonnieren|anmelden|newsletter abonnieren|"
    r"(?:sign up|register|join) (?:now )?for free|s'abonner|s'inscrire|abonnez-vous|"
    r"suscríbete|suscribirse|iscriviti|abbonati|assine|inscreva-se|abonneer|aanmelden|zapisz się|"
    r"подписаться|abone ol|prenumerera|tilaa",
    # what sign-up and sharing widgets print when their script did not run: confirmations, errors
    # (the English strings of the corpora's newsletter boxes, fundus_publisher_tests and the Zyte benchmark)
    r"thanks? (?:you )?for (?:signing up|subscribing|registering)|you(?:'re| are) (?:now )?(?:signed up|subscribed)|"
    r"you(?:'re| are) all set(?: (?:check|thanks?|thank you|you'll|look out|watch|keep an eye|we'll)\b.{0,80})?|"
    # the sign-up box's small print: "No spam, unsubscribe anytime.", "We'll never share your email address."
    r"(?:no spam,? )?(?:you can )?(?:unsubscribe|opt out) (?:at )?any ?time(?:,? no spam)?|no spam(?:,? ever)?|"
    r"we(?:'ll| will)? never (?:share|sell|spam)\b.{0,50}|we respect your privacy\b.{0,40}|"
    # its button: "Count me in", "Je m'inscris"; a feedback widget's: "Yes No"
    r"count me in|sign me up|je m'inscris|je m'abonne|ich bin dabei|me apunto|"
    r"yes no|ja nein|oui non|s[ií] no|tak nie|да нет|"
    # a membership site's pitch: "Common Ground is free to read because members chip in. Become one today."
    r"(?:[\w'’.-]+ ){0,5}is free (?:to read|for everyone) because (?:our )?(?:members|readers|subscribers) [^.]{1,60}"
    r"(?: (?:become|join)[^.]{0,40})?|become (?:a member|one|a subscriber) (?:today|now)|"
    # where the story was first published, under it: "This story was originally published October 21, 2025
    # 5:00 AM.", "Originally published as <headline>"; the support pitch's heading alone
    r"this (?:story|article) was (?:originally|first) published (?:on )?.{4,40}|originally published as .{1,160}|"
    r"support (?:local|independent|quality) journalism|"
    # a view counter: "1,237 views", "Aufrufe: 1237", "Просмотров: 1237", "조회수 1237"
    r"(?:views?|reads|hits|aufrufe|zugriffe|gelesen|vues|lectures|vistas|visitas|lecturas|visualizzazioni|letture|visite|"
    r"visualizações|leituras|weergaven|wyświetle(?:ń|nia)|odsłon(?:y|a)?|просмотр(?:ов|а|ы)?|görüntülenme|okunma|"
    r"zobrazení|visningar|visninger|조회수?|閲覧数?|浏览(?:量|次数)?|点击(?:量|数)?|瀏覽)\s*[:：]?\s*\d[\d.,\u00a0\u202f ]*[kкmм]?|"
    r"\d[\d.,\u00a0\u202f ]*[kкmм]?\s*(?:views?|reads|aufrufe|zugriffe|mal gelesen|vues|lectures|vistas|visitas|"
    r"visualizzazioni|letture|visualizações|weergaven|keer bekeken|wyświetle(?:ń|nia)|odsłon|просмотр(?:ов|а)?|"
    r"görüntülenme|okunma|zobrazení|visningar|visninger|회 조회|回閲覧|次浏览|次阅读)|"
    # the comments' sort control: "Sort by Newest Oldest", "Sortieren nach", "Trier par"
    r"(?:sort(?:ed)? by|sortieren nach|sortiert nach|trier par|ordenar por|ordina per|ordenar por|sorteer op|sortuj według)"
    r"(?: (?:newest|oldest|best|top|popular|most popular|most recent|recent|date|relevance|votes|neueste|älteste|beste))*|"
    # the site's podcast and channels: "Listen to our daily podcast, The Briefing, wherever you get your
    # podcasts", "Get the latest news on WhatsApp"; a question box: "Got a question about this story? Ask us."
    r"(?:listen|subscribe|follow)\b.{0,80}\bwherever you (?:get|listen to) your podcasts.{0,20}|"
    r"get (?:the latest|breaking|our|more|all the latest) (?:news|updates|stories|headlines)(?: [\w'’ ]{1,20})? on "
    r"(?:whatsapp|telegram|google news|signal|viber|threads|bluesky)|"
    r"(?:got|have) a question about this (?:story|article)\??(?: (?:ask|email|contact|tell) us| let us know)?|"
    # an invitation to the comments: "What do you think? Leave a comment below."
    r"(?:what do you think\?? )?(?:leave|post|share|drop) (?:a|your) (?:comments?|thoughts)(?: below| in the comments(?: below)?)|"
    # an advertiser's story, the player's note: "This content is paid for by an advertiser", "Audio is AI-generated."
    r"(?:this )?(?:content|article|story) (?:is|was) paid for by (?:an advertiser|our sponsors?|[\w&'’.-]+(?: [\w&'’.-]+){0,3})|"
    r"(?:this )?audio (?:is|was) (?:ai-generated|generated by ai|automatically generated)|"
    r"there was an error processing your (?:subscription|request)|an error (?:has )?occurred.{0,40}|"
    r"keep an eye on your inbox.*|check your inbox.{0,60}|this (?:article|story) has been sent to.*|"
    r"(?:order|purchase) reprints|print article|reprints?( & permissions)?",
    # placeholders of embeds waiting for consent, rating and error-report widgets, "continues below"
    # (the German consent boxes of fundus_publisher_tests' sites, and their English counterparts)
    r"empfohlener redaktioneller inhalt|externer inhalt|ein klick für (?:den|mehr) datenschutz|link zum [\w-]+-inhalt|"
    r"an dieser stelle finden sie (?:einen|einen von unseren redakteuren ausgewählten)?,? externen inhalt.*|"
    # "An dieser Stelle finden Sie einen ergänzenden externen Inhalt von Instagram.", "Mit Ihrer Zustimmung wird
    # hier ein externes YouTube-Video geladen.", "Dieser Inhalt wird von einem externen Anbieter bereitgestellt."
    r"an dieser stelle finden sie (?:einen |[\w-]+ ){1,3}externen inhalt.*|mit ihrer zustimmung wird hier (?:ein|eine) externe[rs]? .{1,80}|"
    r"dieser inhalt wird von einem externen anbieter bereitgestellt.*|"
    r"ich bin damit einverstanden,? dass mir (?:der )?externe(?:r)? inhalte? angezeigt (?:wird|werden).*|"
    r"(?:to view|to see) this content,? (?:please )?(?:enable|accept|allow) .{0,60}",
    r"fehler gefunden\??\s*jetzt melden|found an? (?:error|mistake|typo)\??\s*(?:report it|let us know).{0,30}|"
    # the error report's link, the app's and the alerts' pitches, the community's rules, in the corpora's other
    # languages: "Reporta un error en esta noticia", "Descárgate la app de ... y no te pierdas nada", "Scarica
    # l'app del ...", "Attiva le notifiche per ricevere le ultime notizie", "Le regole della community", "Normas ›"
    r"(?:reporta|reportar|notifica|informar de) (?:un|um) erro(?:r)?(?: en esta noticia)?|segnala(?:ci)? un errore|signaler une erreur|"
    r"(?:descarga|descárgate|scarica|baixe|téléchargez|télécharger|pobierz|stáhněte si) (?:la |l'|l’|o |a |nasz[aą] )?(?:app|aplikac)\w*\b.{0,90}|"
    r"(?:attiva|activa|activez|ative|włącz) (?:le |las |les |as )?(?:notifiche|notificaciones|notifications|notificações|powiadomienia)\b.{0,60}|"
    r"(?:le regole della|reglas de la|règles de la|regras da) (?:community|comunidad|communauté|comunidade)|normas ›|"
    r"(?:conforme a los criterios de )?the trust project|"
    # the site's channel and Google News, and Onet's thanks for reading: "📲 Participe do canal do p1 no WhatsApp",
    # "Dziękujemy, że przeczytałaś/eś nasz artykuł do końca. Bądź na bieżąco! Obserwuj nas w Wiadomościach Google."
    r"\W{0,3}(?:participe|entre|siga|únete|unisciti|iscriviti)\b.{0,20} canale? .{0,40}\b(?:whatsapp|telegram)|"
    r"dziękujemy,? że przeczyta\w*(?:/\w+)? nasz artykuł.{0,120}|obserwuj nas w wiadomościach google|"
    r"wie hat ihnen (?:dieser|der) artikel gefallen|war dieser artikel hilfreich|"
    r"(?:was|did you find) this (?:article|story|page|post|information) (?:helpful|useful)\??(?: yes\s*no)?|"
    r"how would you rate this article|hinweis|bitte beachten|article content|"
    r"(?:average|durchschnittliche) (?:rating|bewertung)\s*:?\s*[\d.,]+(?:\s*/\s*\d+)?|"
    r"(?:liked?|enjoy(?:ed)?) this (?:story|article)\?? share it.{0,30}|tell us what you think.{0,20}|"
    r"(?:advertisement\b.{0,40}?)?(?:the )?(?:story|article) continues below(?: (?:this )?advertisement)?|"
    r"\d+ (?:wochen|tage|monate|weeks|days|months) (?:kostenlos|gratis|free) (?:testen|lesen|trial)",
    # a newsletter's name as the heading of its sign-up box ("Pick Six Newsletter"); the link to the
    # outlet's editorial standards under every story ("Our Standards: ...", "Why you can trust Example News")
    r"(?:[\w’&+-]+ ){1,3}(?:newsletter|nieuwsbrief|nyhetsbrev)|"
    r"(?:our|unsere) (?:editorial |redaktionellen )?(?:standards|grundsätze)(?: .{1,60} (?:principles|grundsätze|policy|guidelines))?|why you can trust [\w ]{1,30}|"
    r"editorial (?:standards|guidelines|policy)",
    # cookies
    r"(?:accept|allow|reject)(?: all)? cookies|cookie (?:policy|settings|preferences)|manage cookies|"
    r"manage (?:your )?(?:cookie |privacy |consent )?(?:preferences|settings|choices)|privacy settings|cookie-einstellungen|"
    r"datenschutz-?einstellungen|paramètres des cookies|configuración de cookies|impostazioni (?:dei )?cookie",
    # photo galleries and media widgets left as text
    r"(?:view|open) (?:gallery|slideshow)|\d+ (?:photos|images|bilder|fotos)|play video|watch(?: the)? video|"
    r"listen(?: to (?:this|the) article)?|audio|video|foto|photo|bild anzeigen|wird geladen|loading",
    # a read-aloud player's label: "Escucha esta nota aquí", "Artikel anhören", "Écouter cet article"
    r"listen to (?:this|the) (?:story|article|episode)|(?:(?:diesen|den) )?artikel (?:anhören|vorlesen(?: lassen)?)|"
    r"escucha(?:r)? (?:esta|la) (?:nota|noticia)(?: aquí)?|écouter (?:cet |l')article|ascolta (?:questo |l')articolo|"
    r"ouvir (?:esta )?(?:notícia|matéria)|luister naar dit artikel|posłuchaj (?:tego )?artykułu|прослушать (?:статью|новость)",
    r"(?:bilder|foto|photo) ?gal(?:erie|lery)|galería de (?:fotos|imágenes)|galleria fotografica|fotogalerij",
    # an image viewer's controls and counter: "Bild schließen", "Alle Bilder anzeigen", "Bild 3 von 17",
    # "Toggle fullscreen" (backen.de's gallery in trafilatura_eval; PhotoSwipe's and Fancybox's default
    # button labels). Never "1/4" alone: in a recipe that is the quantity before "cup butter"
    r"(?:(?:bild|foto|photo|image|picture|slide|imagen|immagine|afbeelding)\s+)?\d{1,3}\s+"
    r"(?:von|of|de|di|sur|van|z|из)\s+\d{1,3}|"
    r"(?:bild|foto|galerie) (?:schlie(?:ß|ss)en|vergrö(?:ß|ss)ern)|alle (?:\d+ )?(?:bilder|fotos) (?:anzeigen|ansehen)|"
    r"(?:vorheriges|nächstes) bild|(?:close|enlarge|zoom) (?:the )?(?:image|photo|picture|gallery)|"
    r"(?:previous|next) (?:image|photo|picture|slide)|(?:show|view|see) all (?:\d+ )?(?:images|photos|pictures)|"
    r"toggle (?:fullscreen|full-screen mode|zoom(?: level)?|slideshow)|vollbild(?:modus)? (?:öffnen|anzeigen|beenden)|"
    r"agrandir (?:l'image|la photo)|fermer (?:l'image|la galerie)|(?:image|photo) (?:précédente|suivante)|"
    r"ampliar (?:la )?(?:imagen|foto)|cerrar (?:la )?galería|ingrandisci (?:l'immagine|la foto)|"
    r"chiudi (?:la )?galleria|afbeelding vergroten|"
    # an embedded post whose script did not run: "View this post on Instagram", "A post shared by Jane (@jane)"
    r"(?:view|see) this (?:post|photo|video) on instagram|sieh dir diesen beitrag auf instagram an|"
    r"voir cette publication sur instagram|ver esta publicación en instagram|visualizza questo post su instagram|"
    r"bekijk dit bericht op instagram|ver essa foto no instagram|zobacz ten post na instagramie|"
    r"(?:a post shared by|ein beitrag geteilt von|une publication partagée par|una publicación compartida de|"
    r"un post condiviso da|een bericht gedeeld door) .{1,60}\(@[\w.]+\)?(?: (?:on|am|le|el|il|op) (?=.*\d).{1,40})?",
    # a consent manager's switch for each service it lists ("Switch zum Einwilligen bzw. Ablehnen des
    # Dienstes YouTube", Usercentrics' German label)
    r"(?:switch|schalter) zum (?:einwilligen|aktivieren)(?: bzw| oder|/) ?(?:ablehnen|deaktivieren) des dienstes .{1,40}",
    # a carousel's instruction: "Swipe left below to view more authors Swipe →", "Nach links wischen"
    r"(?:swipe|scroll) (?:left|right|down|up)(?: below)? (?:to|for) (?:view|see|read|show) more.{0,60}|"
    r"(?:nach (?:links|rechts) )?(?:wischen|swipen)(?: für mehr| zum weiterlesen)?|"
    # a box's link; the site's pointer to its section under every story ("For more stories like this, check
    # our news page.")
    r"for more (?:stories|news|articles) like this,? (?:check|visit|see|head to|go to) (?:out )?our .{1,30}|"
    r"mehr erfahren|learn more|en savoir plus|saber más|saiba mais|scopri di più|meer (?:informatie|weten)",
    # a date's label left without its date: "Release Date:", "Veröffentlicht am"
    r"(?:release|publication|publish(?:ed)?) date|date published|(?:published|posted|updated|last updated)(?: on)?|"
    r"veröffentlicht(?: am)?|aktualisiert(?: am)?|publicado(?: el)?|actualizado(?: el)?|publié le|mis à jour le|"
    r"pubblicato il|aggiornato il",
    # the letters page's call: "Submit your letter to the editor via this form. Read more Letters to the Editor."
    r"submit (?:your|a) letter to the editor.{0,80}",
    # the buttons to follow the writer or the topic, a sign-up form's error, an offer's fine print,
    # the skip links, the reCAPTCHA notice, a gallery's counter ("1 / 12"), a share bar's networks run together
    r"(?:un)?follow(?:ing)?|follow (?:this )?(?:author|writer|topic|journalist)|"
    r"invalid e-?mail(?: address)?|please enter a valid e-?mail(?: address)?|cancel (?:any ?time|at any time)|"
    r"skip to (?:the )?(?:main )?(?:content|navigation)|zum inhalt springen|aller au contenu(?: principal)?|"
    r"saltar al contenido(?: principal)?|"
    r"this site is protected by recaptcha and the google privacy policy and terms of service apply|"
    r"\d{1,3} (?:/|of|von|sur|de) \d{1,3}|"
    # an audio or video player: its clock, its length, the service it runs on ("UP NEXT" alone is AP's heading
    # over a team's next games, which references keep)
    r"\d{1,2}:\d\d(?::\d\d)? / \d{1,2}:\d\d(?::\d\d)?|(?:video )?duration:? \d{1,2}:\d\d(?::\d\d)?(?: ?up next)?|"
    r"now playing|listen to (?:the|this|our) (?:podcast|episode)|powered by [\w&'’.-]+(?: [\w&'’.-]+){0,3}|"
    r"join(?: us)?(?: now| today| here| for free)|"
    rf"(?=.*[a-z]{{2}}){_NETWORK}(?: {_NETWORK}){{2,}}",  # (not "x x x", a table's marks)
    # a table of contents' heading (its entries are the article's own subheadings, which follow)
    r"inhaltsverzeichnis|table of contents|sommaire|índice|indice|spis treści",
    # the story's own buttons: rating and feedback, gifting, the PDF, a read-aloud player with its length
    # (the labels of the widgets' English, German, French and Spanish versions)
    r"rate this (?:article|story|post)|give (?:us )?(?:your )?feedback|(?:send|share) (?:us )?(?:your )?feedback|"
    r"thank(?:s| you) for (?:your )?(?:feedback|rating|vote)|how (?:useful|helpful) (?:was|is) this (?:article|story|post)|"
    r"[★☆]{3,}|(?:view|see|show) (?:the )?results|vote|"
    r"feedback geben|artikel bewerten|évaluer cet article|valora (?:este|el) artículo|"
    r"gift (?:this )?(?:article|story)|(?:artikel|beitrag) verschenken|offrir (?:cet |l')article|"
    r"regala(?:r)? (?:este |el )?artículo|download (?:the )?pdf|pdf (?:herunterladen|download)|"
    r"télécharger (?:le )?pdf|descargar (?:el )?pdf|"
    r"listen to (?:this|the) (?:story|article)(?: \d+ min\w*)?|hören sie (?:diesen|den) artikel|"
    r"escucha(?:r)? (?:este |el )?artículo",
    # what a video or an embed prints in its place: "Tap to unmute", "Watch on YouTube", a browser's
    # fallback, a geoblock's notice, a zoom link
    r"(?:tap|click) to (?:unmute|play|enlarge|zoom|expand)|watch on (?:youtube|vimeo)|auf youtube ansehen|"
    r"ver en youtube|regarder sur youtube|your browser does not support (?:the )?(?:html5 )?(?:video|audio)(?: tag| element)?|"
    r"(?:this )?(?:content|video) is not available in your (?:region|country|location)|"
    r"dieser inhalt ist in (?:ihrer region|ihrem land) nicht verfügbar|"
    r"ce contenu n'est pas disponible dans votre (?:pays|région)|"
    r"zum vergrö(?:ß|ss)ern (?:klicken|anklicken)|(?:klicken|tippen) zum vergrö(?:ß|ss)ern|cliquez pour agrandir|"
    r"haga clic para ampliar|like loading",
    # the tip line and the corrections' invitation: "Do you have a story to share? Contact our newsroom.",
    # "Corrections: If you spot an error, please contact us."
    # (matched without the punctuation inside the line)
    r"send us a tip|(?:do you )?(?:have|got) a story(?: idea| tip)?(?: to share| for us)?(?: (?:contact|email|tell|write to) "
    r"(?:us|our newsroom|the newsroom))?|send us your (?:photos|videos|pictures|stories)(?: and (?:photos|videos|stories))?|"
    r"(?:corrections? )?if you (?:spot|see|find|notice) an? (?:error|mistake|typo|inaccuracy)"
    r"(?: in (?:this|our) (?:article|story|reporting))? (?:please )?(?:contact|email|tell|let) us.{0,40}",
    # a newsletter's pitch without the word: "Die wichtigsten News des Tages direkt in Ihr Postfach"
    r"die wichtigsten (?:news|nachrichten|themen)(?: des tages| der woche)?[^.]{0,40} (?:(?:in (?:ihr(?:em)?|dein(?:em)?)|im) "
    r"(?:e-mail-)?(?:postfach|posteingang)|per (?:e-)?mail)|"
    r"(?:the )?(?:best|top|latest|biggest|day's|most important) (?:stories|news|headlines)[^.]{0,40} (?:in|to) your inbox[^.]{0,30}|"
    # ... and in the corpora's other languages: "Inscrivez-vous pour recevoir l'essentiel de l'actualité",
    # "Recibe cada mañana las noticias más importantes"
    r"(?:inscrivez-vous|abonnez-vous) pour recevoir .{1,60}|"
    r"recibe (?:cada (?:mañana|día|semana)|a diario|gratis) (?:las|nuestras) (?:noticias|novedades)[^.]{0,40}|"
    r"ricevi ogni (?:mattina|giorno|settimana) (?:le notizie|gli aggiornamenti)[^.]{0,40}|"
    r"ontvang (?:elke|iedere) (?:ochtend|dag|week) (?:de|het) (?:belangrijkste|laatste) nieuws\w*[^.]{0,30}|"
    # the box's heading naming the newsletter: "Get the Morning Brief", "Sign up for The Daily Digest",
    # "Newsletter „Stadt mit K“"
    r"newsletter [„\"“«»‚'].{1,40}|"
    r"(?:get|sign up for|subscribe to) (?:the|our) [\w'’ -]{1,40} (?:brief|briefing|newsletter|digest|roundup|bulletin)|"
    r"ricevi (?:le notizie|gli aggiornamenti|la newsletter)[^.]{0,40} (?:via e-?mail|nella tua (?:casella|email|inbox))|"
    r"ontvang (?:dagelijks |elke dag |wekelijks )?(?:het (?:laatste )?nieuws|de nieuwsbrief)[^.]{0,30} in je (?:mail)?box|"
    r"otrzymuj (?:najważniejsze|najnowsze) (?:informacje|wiadomości)[^.]{0,30} (?:na (?:swoją|twoją) skrzynkę|e-?mailem)",
]
WHOLE_LINE = re.compile(r"^(?:" + "|".join(_WHOLE_LINE) + r")$")

# the sign-up button after a short question: "Want the latest news? Subscribe now." (text_cleanup)
SIGN_UP_BUTTON = re.compile(r"^(?:subscribe|sign up|join us|register)(?: now| today| here| for free)?$")

# Teasers: a line starting like this, short, is another story's headline behind a label.
TEASER_PREFIX = re.compile(
    r"^(?:(?:related|recommended|more|watch|listen)\s*[:：»>|]\s*\S)|"
    # "Also on example.com Another headline": a teaser naming the site it links to
    r"^also on \S+\.[a-z]{2,}\s+\S|"
    # "Also on Example News: <headline>"; "Also on Monday: ...", "Also on the agenda: ..." are the story's
    r"^also on (?!(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|the\b|that\b|this\b|its\b|their\b|his\b|her\b)"
    r"[^:]{2,40}:\s*\S|"
    r"^(?:read (?:more|also|next)|see (?:also|more)|also read|related (?:post|story|article)|don'?t miss|"
    r"continue reading|further reading|read the full (?:story|article)|auch lesenswert|"
    r"more on this|more info|watch(?: the)? video|listen to the podcast|you might (?:also )?like|trending(?: now)?|popular|"
    r"in other news|top story|editor'?s pick|must read|recommended reading|related coverage|"
    r"lesetipp|auch spannend|passend dazu|alle infos|[àa] lire|lire|voir|notre dossier|leer también|"
    r"noticia relacionada|leggi|leia|lees hier|zobacz również|"
    r"(?:das )?könnte (?:sie|dich|euch) auch interessieren|[àa] lire également|lire la suite|te recomendamos|"
    r"(?:le |te )?puede interesar(?:te|le)?|puede interesarte|ti potrebbe interessare|approfondisci|veja mais|lees verder|"
    r"przeczytaj (?:też|także|również)|"
    r"lesen sie (?:auch|mehr|hier)|mehr lesen|weiterlesen|mehr zum thema|auch interessant|mehr dazu|siehe auch|zum thema|"
    r"(?:[àa] )?lire aussi|voir aussi|[àa] voir aussi|sur le même sujet|"
    r"lee también|leer más|te puede interesar|ver también|relacionad[ao]s?|lea (?:también|además|más)|"
    r"(?:también )?(?:puede|puedes) leer|(?:usted )?también (?:le )?puede interesar|"
    r"(?:le|te) puede interesar|(?:también )?(?:le|te) puede (?:interesar|gustar)|mire también|nota relacionada|"
    r"leggi anche(?: su)?|vedi anche|potrebbe interessarti|"
    r"leia também|veja também|leia mais|"
    r"lees ook|zie ook|lees meer|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|"
    r"читайте также|смотрите также|читать также|"
    r"ayrıca (?:okuyun|bakınız)|bunu da okuyun|ilginizi çekebilir|čtěte (?:také|též)|olvassa el(?: ezt is)?|"
    r"läs (?:också|mer)|les også|læs også|lue myös|"
    r"関連記事|相关阅读)(?:\s*[:：»>|]|\s+[–—-])\s*\S",
)
# the same label run into the headline, no colon between them: "À lire aussi La natalité russe menacée"
# (matched on the line as printed: the headline's capital after the label; "Lire aussi, le rapport...",
# "Lesen Sie auch Goethes Briefe." and an interview's "Lesen Sie auch Zeitung?" are sentences)
GLUED_TEASER = re.compile(
    r"^(?i:[àa] lire aussi|lire aussi|lesen sie auch|read also|also read|leia também|lee también|leggi anche|"
    r"czytaj (?:też|także)|читайте также|read more|see also|leer más|leia mais|veja também|vedi anche|voir aussi|"
    r"lees ook|zie ook|siehe auch)\s+[«\"“„]?[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ\u0400-\u042F][^.!?]*$|"
    # Latin American sites' one-word labels, "Lea: <headline>", "Mire: <headline>": a headline's five words
    # or more (a transcript's "Lea: Genau", "Mire: Nos vemos mañana, dijo", "LEA: Well, I think --" are speech)
    r"^(?:Lea|Mire|Vea|LEA|MIRE|VEA)\s*:\s*[«\"“]?[A-ZÁÉÍÓÚÑ][^\s,.!?…]*\s[^\s,.!?…]+(?:\s[^\s.!?…]+){3,}(?<![-—–])$")
# a lead-in to a link: "Mehr zum Thema finden Sie auch im wöchentlichen Zins-Check:" (a line closing
# with its colon); "More AP NBA: https://apnews.com/NBA", the wire's promotion of its pages
LINK_LEAD_IN = re.compile(r"^mehr (?:zum thema|dazu)\b.{0,100}\bfinden sie\b")
# (on the line as printed: a heading's capitals; "More than 40 people died: https://..." is a sentence)
MORE_LINKS = re.compile(r"^More (?:[A-Z][\w'’&-]*+\s?){1,4}:\s*(?:https?://|www\.)")
# a widget's placeholder while its script loads: "Loading weather data ...", "Kommentare werden geladen..."
# (matched on the line as printed: its ellipsis; the loading word opens it, or the German verb closes it:
# "Ella seguía cargando a su hijo…" and "Die Stadt lädt zum Sommerfest..." are sentences)
LOADING = re.compile(r"^(?:(?:loading|lädt|chargement|cargando|caricamento|carregando)(?: [\w-]+){0,3}|"
                     r"(?:[\w-]+ ){0,4}(?:wird geladen|werden geladen|laden))\s*(?:\.\.\.|…)$", re.IGNORECASE)
# an icon font's ligature left as a word before a button's label: "chat_bubble 0 Kommentare",
# "bookmark_border Auf die Merkliste" (Material Icons' names)
ICON_LIGATURE = re.compile(r"^[a-z]+(?:_[a-z]+)+\s+(?=\S)")

# another story's headline with a teaser's label after it in brackets: "Ferry strike: unions reject the
# offer [INSIGHT]", "... final decision [VIDEO]" (the labels of the corpora's teasers, in their
# languages; a caption's source, "[AFP]", a transcript's "[APPLAUSE]", an aggregator's "[Bloomberg]"
# are no teaser's)
TEASER_LABEL_AFTER = re.compile(
    r"\s\[(?:VIDEOS?|VIDÉOS?|VÍDEOS?|WIDEO|PHOTOS?|FOTOS?|ZDJĘCIA|PICTURES|PICS|GALLERY|GALERIE|GALERÍA|LIVE|"
    r"EN DIRECT|EN VIVO|INSIGHT|ANALYSIS|ANALYSE|OPINION|PODCAST|AUDIO|INTERVIEW|EXCLUSIVE|EXKLUSIV|UPDATE|"
    r"LATEST|REACTION|REVEALED|POLL|QUIZ|WATCH|LISTEN)\]$")

# Two interface words in one short line: a prompt, not a sentence of the article.
NEWSLETTER = gated(re.compile(
    r"newsletter|nieuwsbrief|bolet[ií]n|lettre d'information|infolettre|rassegna|рассылк|b[uü]lten|"
    r"nyhetsbrev|uutiskirje|h[ií]rlev[eé]l|biuletyn|inbox|posteingang|e-?mail updates|daily (?:digest|briefing)|"
    r"(?:en|a) tu correo|(?:no|em) seu e-?mail|dans votre (?:boîte|messagerie)|nella tua (?:casella|e-?mail)|"
    # the edition sent by mail, offered: "Get The Example Times's Daily Edition by email and never miss our
    # top stories" ("Subscribers who sign up receive the print edition by email" is a story's)
    r"^get (?:the |our )?\S.{0,50}(?:edition|top stories|headlines) by e-?mail"
))
# ... in Japanese, Korean and Chinese (a pattern of its own: NEWSLETTER's gate holds as many strings as pays)
NEWSLETTER_CJK = gated(re.compile(r"ニュースレター|メルマガ|メールマガジン|뉴스레터|电子报|電子報|新闻简报"))
# a messenger channel is the site's own only when the line says so ("our", "unseren")
CHANNEL = gated(re.compile(r"(?:whatsapp|telegram)[- ]?(?:kanal|channel|canal)"))
SIGN_UP = re.compile(
    # (Japanese, Korean and Chinese write no word boundaries around theirs)
    r"登録|購読|お届け|구독|신청|订阅|訂閱|"
    r"(?:subscrib(?:e|ing)|sign(?:ing)? up|sign-up)\b|\b(?:join|receive|abonn\w*|anmelden|anmeldung|melden sie sich|erhalten sie|"
    r"register|registrieren|registrati|registrate|regístrate|registreer|inscri(?:vez|bete|bir|ba)\w*|"
    r"inscreva|suscr[ií]b\w*|iscriv\w*|assine|assinar|inschrijven|schrijf (?:je|u) in|aanmelden|meld (?:je|u) aan|ontvang|"
    r"recevez|recib\w*|receba|ricev\w*|zapisz|подпи[сш]\w*|получа\w*|abone|prenumerera|tilaa|feliratkoz\w*|"

    r"get(?=.*\b(?:in|to) your inbox)|"
    # "The day's top stories, delivered to your inbox every weekday at 6am" (a story's "phishing e-mails
    # delivered to your inbox" names no round)
    r"deliver(?:ed|s)?(?=[^.]{0,30}\b(?:to|into|in) your inbox\b[^.]{0,20}\b(?:every|each|daily|weekly|twice|mornings?|evenings?|weekdays?)\b))\b"
)
OUR = re.compile(r"\b(?:our|unser\w*|notre|nos|nuestr\w*|nostr\w*|noss\w*|onze|nasz\w*|наш\w*|vårt|vores|"
                  r"free|kostenlos\w*|gratuit\w*|gratis|daily|weekly|täglich\w*|inbox|posteingang|postfach)\b")
# the notices of comment systems, never a journalist's "declined to comment" or a politician's comments
COMMENT_NOTICE = gated(re.compile(
    r"comments? (?:are|is) (?:closed|moderated|disabled|turned off)|comments? (?:policy|guidelines|rules)|"
    r"^commenting (?:is|has been) (?:now )?(?:closed|disabled|turned off|unavailable)|"
    r"^comments? (?:may|will) be (?:moderated|reviewed)|^please keep (?:your )?comments? |"
    r"^by (?:commenting|posting a comment|submitting (?:a|your) comment),? you agree|"
    r"kommentare (?:werden|wird) (?:vor (?:der|ihrer) (?:veröffentlichung|freischaltung) )?(?:geprüft|moderiert)|"
    r"commentaires sont soumis à (?:la )?modération|comentarios (?:están|son) sujetos a (?:la )?moderación|"
    r"commenti sono soggetti a moderazione|comentários (?:estão|são) sujeitos a moderação|"
    r"^(?:this )?(?:discussion|conversation) (?:is|has been) (?:now )?closed|"
    r"(?:log(?:ged)? in|sign(?:ed)? in|register(?:ed)?) to (?:post a |leave a |add a )?(?:comment|reply)|"
    r"to (?:post|leave|write|add) a comment|"
    # the comment box's invitation: "Join thought-provoking conversations, follow other Example readers and see their replies"
    r"^join (?:the )?(?:[\w-]+ )?conversations?\b[^.;]{0,80}\b(?:readers|replies|commenters)\b|would you like to comment on this (?:article|story|post)|display name|community (?:guidelines|standards|rules)|"
    r"kommentarfunktion|kommentare? (?:sind|ist|wird|werden) (?:geschlossen|deaktiviert|moderiert)|"
    r"(?:um|zum) (?:zu )?kommentieren|kommentare erscheinen erst nach (?:unserer |der )?(?:freigabe|prüfung)|"
    r"les commentaires sont (?:fermés|modérés)|"
    # the site's disclaimer over its readers' comments: "Kommentare von Lesern stellen keinesfalls die
    # Meinung der Redaktion dar"
    r"(?:kommentare|leserkommentare|beiträge) (?:von lesern |der leser |unserer leser )?(?:stellen|geben) "
    r"(?:keinesfalls|keineswegs|nicht) (?:unbedingt )?die meinung der redaktion|"
    r"los comentarios (?:están cerrados|son moderados)|i commenti sono (?:chiusi|moderati)|netiquette"
))
# Notices that need a second word to be a comment system's: "Melden Sie sich an, um einen Kommentar
# abzugeben" (a spokeswoman was unavailable "um einen Kommentar abzugeben" in the news), "Los comentarios
# son opinión de los usuarios" (a survey measures "la opinión de los lectores")
COMMENT_NOTICE_PAIRS = tuple((gated(notice), gated(second)) for notice, second in (
    (re.compile(r"um (?:einen )?kommentare? (?:abzugeben|zu schreiben|zu verfassen|zu hinterlassen)"),
     re.compile(r"melden sie sich|anmelden|angemeldet|einloggen|eingeloggt|loggen sie sich|logge dich|registrier|log-?in")),
    (re.compile(r"opini[oó]n de los (?:usuarios|lectores|internautas)|opinião dos (?:leitores|usuários)|"
                r"opinion of (?:the )?(?:readers|users|commenters)"),
     re.compile(r"coment[aá]rios?|comments?")),
    # the site's right to delete comments, said by the site ("we", its name, its newsroom): a law giving
    # a platform the right to remove comments is news
    (re.compile(r"(?:\bwe|\bnos|\bwir|\bnous|\bci|\S+\.[a-z]{2,6}|\bredaktion|\bredacción|\bla redazione|\bla rédaction) "
                r"(?:reserve the right to (?:delete|remove|edit|moderate|refuse|reject)|"
                r"(?:se )?reserva(?:mos)? el derecho (?:de|a) (?:eliminar|borrar|editar|moderar|rechazar|no publicar)|"
                r"reserva(?:-se|mo-nos) o direito de (?:eliminar|apagar|remover|editar|não publicar)|"
                r"(?:si )?riserva(?:mo)? il diritto di (?:cancellare|rimuovere|eliminare|moderare)|"
                r"(?:se|nous) réserv(?:e|ons) le droit de (?:supprimer|modérer|refuser|retirer)|"
                r"behält sich .{0,30}(?:löschen|entfernen|kürzen|zu löschen|zu entfernen|zu kürzen) vor|"
                r"behalten uns .{0,30}(?:löschen|entfernen|kürzen|zu löschen|zu entfernen|zu kürzen) vor|"
                r"behalten uns (?:das recht )?vor,? .{0,40}(?:zu löschen|zu entfernen|zu kürzen))"),
     re.compile(r"\b(?:comments?|coment[aá]rios?|commenti|commentaires?|kommentare?)\b")),
))

AFFILIATE = gated(re.compile(
    r"affiliate[ -]links?|(?:enlaces?|links?) (?:de )?afiliad\w*|liens? affiliés?|link di affiliazione|"
    r"partnerlinks?\b|werbelinks?\b|provisionslinks?\b|sponsored links?|"
    r"\b(?:we|i) (?:may )?(?:earn|receive|get) (?:a )?(?:small )?(?:commission|share of (?:the )?(?:sales|revenue))|"
    r"\b(?:we|i) may (?:earn|receive|get) compensation\b|"
    r"(?:erhalten|bekommen) wir (?:eine )?provision|wir (?:erhalten|bekommen) (?:dafür )?(?:eine )?provision|"
    r"affiliate commission|earn (?:us )?an? commission|\b(?:we|i) (?:may )?earn money (?:from|through) (?:our )?(?:affiliate|links)|"
    # the wording Amazon's programme asks its members to print, in its languages
    # (a tax story's "credits for qualifying purchases" is not it: the programme's member speaks)
    r"as an amazon associate|als amazon-partner|en tant que partenaire amazon|como afiliad[oa] de amazon|"
    r"in qualità di affiliato amazon|como associad[oa] da amazon|(?:i|we) earn from qualifying purchases|"
    r"verdien\w* (?:wir|ich) an qualifizierten (?:verkäufen|käufen)|"
    r"\b(?:we|our editors|our (?:journalists|writers|team)) independently (?:review|select|choose|research|test)\w* "
    r"(?:all |every |these |the )?(?:products|everything we recommend|items|deals)|"
    r"\bindependently (?:selected|chosen|reviewed) by (?:our|the) (?:editors|editorial team)|"
    r"prices? (?:were|are|was) (?:accurate|correct) (?:at|as of) (?:the )?time of (?:publishing|publication|writing)"
))

READING_TIME = re.compile(
    r"^(?:[⏱⌚🕒🕑]\s*)?(?:(?:(?:estimated|approximate|approx\.|geschätzte|voraussichtliche|durée de) )?(?:reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo di lettura|"
    r"tempo de leitura|leestijd|czas czytania|время (?:чтения|на чтение)|okuma süresi|lästid|lesetid|"
    r"lukuaika|olvasási idő|読了時間|阅读时间|阅读时长|阅读|읽는 시간|czas lektury)\s*[:：]?\s*(?:ca\.?\s*|~\s*|約|约|약\s*)?\d+(?:[.,]\d+)?\s*\w*\.?"
    # the label that names a lecture too only with its minutes: "Lecture 4 min.", "Lectura de 4 minutos"
    r"|(?:lecture|lectura(?: de)?|lettura|leitura|läsningstid|läsetid)\s*[:：]?\s*(?:ca\.?\s*|~\s*)?\d+\s*min\w*\.?"
    r"|(?:an? )?(?:ca\.?\s*|~\s*|約|约)?\d+(?:[.,]\d+)?\s*(?:-|–)?\s*(?:min(?:ute)?s?|minuten|minutes|minutos|minuti|minuty|perc|"
    r"минут[аы]?|мин|dakika|minuter|minutter|minuuttia|分钟|分|분)\.?\s*(?:read|reading|lesezeit|lesen|de lecture|"
    r"de lectura|di lettura|de leitura|leestijd|leesduur|czytania|чтения|okuma|läsning|lesing|lukuaika|阅读|listen|"
    r"olvasás|읽기|で読めます|skaitymo|čtení|čítania|lectură)?"
    # the length beside it: "977 parole", "1.234 Wörter", "996 žodžiai"
    r"|\d[\d.,\u00a0\u202f ]*\s*(?:words|wörter|mots|palabras|parole|palavras|woorden|słów|слов[а]?|kelime|"
    r"žodžiai|žodžių|slov|szó|단어)"
    # "Read in 3 minutes"
    r"|read in (?:ca\.?\s*|~\s*)?\d+\s*(?:min(?:ute)?s?|minuten)\.?"
    # "Ten tekst przeczytasz w mniej niż minutę" (you read this text in under a minute)
    r"|ten tekst przeczytasz (?:w|w ciągu|w mniej niż) .{1,20})$"
)

CONTACT_WORDS = re.compile(r"follow|contact|e-?mail|\bmail\b|reach\w*|erreichbar|erreichen|joindre|contacto|contatto|twitter|x\.com|"
                            r"\bon x(?![\w-])|scriv\w*|escrib\w*|écri\w*|schreib\w*|instagram|facebook|mastodon|bluesky|"
                            r"threads|linkedin|folgen|kontakt|suivez|síguel|segui|siga|volg|obserwuj|"
                            r"reach (?:him|her|them|the author)|write to|schreiben sie|tips?\b")

RELATED_HEADING = re.compile(r"^(?:" + "|".join(_RELATED) + r")$")
