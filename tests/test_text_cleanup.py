"""Interface blocks never reach a record's text, whatever the markup around them; article text does.

The pages here are the seed article with interface blocks put where themes put them: inside the
article container, under class names that say nothing, in several languages.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import lxml.html
import pytest

from pipelines.extract.fields import ExtractOptions, extract_fields
from pipelines.extract.linked_teasers import caption_texts, linked_teaser_texts
from pipelines.extract.site_paths import SitePaths
from pipelines.extract.story_lists import story_lists
from pipelines.extract.text_cleanup import clean_text, is_interface_line, prose_chars

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "azerbaijan-balancing-act.txt"
HTML = {"Content-Type": "text/html; charset=utf-8"}

# One family per line, each as a theme writes it (languages of the corpora)
INTERFACE = [
    "Share This Article", "Leave a Reply", "Leave a comment",
    "Your email address will not be published. Required fields are marked *",
    "Subscribe to our newsletter", "3 Min Read", "Advertisement",
    "Read more: Storm warning issued for the coast this weekend",
    "Sign up for our daily newsletter and get the best stories in your inbox",
    "Diesen Artikel teilen", "Schreibe einen Kommentar", "Lesezeit: 4 Minuten", "Anzeige",
    "Lesen Sie auch: Unwetterwarnung für die Küste am Wochenende",
    "Melden Sie sich für unseren täglichen Newsletter an",
    "Partager cet article", "Laisser un commentaire", "3 min de lecture", "Lire aussi : Alerte aux orages",
    "Comparte este artículo", "Deja una respuesta", "Suscríbete a nuestro boletín", "Publicidad",
    "Deel dit artikel", "Geef een reactie", "Abonneer je op onze nieuwsbrief",
    "Поделиться статьёй", "Подпишитесь на нашу рассылку", "3 мин чтения", "Реклама",
    "You must be logged in to post a comment.",
    "We may earn a commission when you buy through affiliate links on our site.",
    "Follow her on Twitter @janedoe", "Contact the author at jane.doe@example.com",
    "14 March 2024, 10:32", "Updated: 2024-03-14 10:32 CET", "https://cdn.example.com/img/logo.png",
]

# More families, tested line by line
INTERFACE_MORE = [
    # an image viewer's controls and counter, left as text
    "Alle Bilder anzeigen", "Bild schließen", "Bild 3 von 17", "1 von 17", "Photo 3 of 12", "Foto 2 di 10",
    "Close image", "Toggle fullscreen", "Next image", "Agrandir l'image",
    "会員の方はこちら", "【キャンペーン】有料記事読み放題！今なら2カ月間月額100円！詳しくはこちら",
    "- example.es se reserva el derecho de eliminar cualquier comentario inapropiado.",
    "If you enjoyed this article, we have a proposition for you: Join EXAMPLEPLUS.",
    # the same pitch running on with the membership's perks
    "If you enjoyed this article, we have a proposition for you: Join EXAMPLEPLUS. Members get all of our content "
    "(including the magazine), no paywalls or content meters, an advertising-minimal experience, and unique access to "
    "our writers and editors (conference calls, social-media groups, etc.). And importantly, EXAMPLEPLUS members help "
    "keep us going. Consider it?",
    "Get The Example Times's Daily Edition by email and never miss our top stories Free Sign Up",
    # a cookie banner's text: the site uses cookies, and asks for consent or says what going on means
    "Wir verwenden Cookies, die unser Angebot nutzerfreundlicher, effektiver und sicherer machen. Durch die Nutzung "
    "unserer Dienste stimmen Sie der Verwendung von Cookies zu. Weitere InformationenOK",
    "We use cookies to ensure that we give you the best experience on our website. If you continue to use this site "
    "we will assume that you are happy with it.",
    "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site. Si vous continuez à "
    "utiliser ce dernier, nous considérerons que vous acceptez l'utilisation des cookies.",
    "Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa navegando, consideramos "
    "que acepta su uso.",
    "A lire aussi :",
    "This copy is for your personal, non-commercial use only. To order copies for distribution visit the reprints page.",
    "Unabhängiger Journalismus braucht deine Unterstützung.", "Durchschnittliche Bewertung: 0,0",
    "Our members are treated to special offers from us and our partners. You can check out at any time. "
    "Read our Privacy Policy",
    "Folgst du schon Example News auf Whatsapp?",
    "Abonniere den Whatsapp-Kanal von Example News und du bekommst regelmässige Updates mit unseren besten Storys.",
    "Der Example Newsletter informiert Sie montags bis freitags über das Wichtigste vom Tag – direkt in Ihrem "
    "Postfach. Hier geht's zur Anmeldung!",
    "Updated at 1:23 p.m.",
    # datelines in other languages and scripts, with separators, with the byline after them
    "Uppdaterad 15.59 | Publicerad 14.14", "segunda-feira, 22 de janeiro de 2018 às 0:13", "17:41 JST, October 13, 2024",
    "20 Nisan 2026•Güncelleme: 20 Nisan 2026", "2025年1月14日 01時28分 (1月14日 01時40分更新)",
    "기사입력 :[ 2018-09-28 17:32 ]", "28 kwietnia 2021, 06:29", "5:45 AM PST 11/19/2019 by Jane Doe",
    # what a sign-up widget prints when its script did not run
    "Thanks for signing up!", "There was an error processing your subscription.",
    "Keep an eye on your inbox for the latest news.",
    "Get the day's top headlines delivered to your inbox every morning by subscribing to our newsletter.",
    # teasers and their headings
    "Example 주요뉴스", "Weitere Beiträge aus der Kolumne:", "Schon gelesen?", "Meist gelesen", "Contenido Relacionado",
    "Lea también: Suben los precios del transporte", "LE PUEDE INTERESAR: Suben los precios del transporte",
    "Keine Kommentare", "Du musst eingeloggt sein um Kommentare zu schreiben!", "おすすめ情報", "Ähnliche:", "Beiträge aus dem Forum",
    # share, copy-link and error-report buttons of East Asian and Indian sites
    "Got a story? Get in touch with our news team by emailing us at news@example.com. Or send us your videos here.",
    "Ihre Meinung ist uns wichtig. Senden Sie uns Ihr Feedback zu diesem Artikel an: briefe@example.de",
    "By Jane Doe", "von Katja Muster", "Par Jeanne Dupont",
    "Pick Six Newsletter", "Our Standards: The Example Trust Principles.", "Why you can trust Example News",
    "Hace 2 horas", "3 hours ago", "vor 2 Stunden", "Kommentar abgeben",
    "Du musst dich EINLOGGEN um einen Kommentar abzugeben.",
    "El contenido de los comentarios es la opinión de los usuarios.",
    "Already a subscriber? Log in", "Log in or create an account to continue", "この記事は会員限定です。",
    "Il vous reste 64% de cet article à lire. La suite est réservée aux abonnés.", "Pour lire la suite",
    "Pour accéder en illimité", "You have 81% of this article left to read. The rest is for subscribers only.",
    # a script's settings printed as text, a broadcaster's programme line
    "- hasAdblock:", "- true", "isLoggedIn:", "Sendung: Example Radio, 03.05.2023, 18:30 Uhr",
    "Wertpapiere und andere Investments sind grundsätzlich mit einem Risiko verbunden.",
    "This article does not constitute investment advice.", "Dieser Beitrag stellt keine Anlageberatung dar.",
    # notices of the site (site_notices.py): reprint rules, embed consent, log-in state, a video's availability,
    # an advertisement's label
    "© 2022, Example News. This article is the copyrighted property of Example News. Written permission must be "
    "obtained before reprint in online or print media.",
    "Tekst chroniony prawem autorskim. Zasady przedruków określa regulamin serwisu.",
    "Klicken Sie auf den Button, um den Inhalt von www.example.org zu laden.",
    "Du bist derzeit nicht angemeldet.", "Audio abrufbar bis 12.11.2024",
    "ANZEIGE - Jetzt das neue Kochbuch entdecken",
    # headings, labels and prompts the trafilatura_eval annotators marked as not the article's
    "Das Thema könnte Sie auch interessieren", "Lesen Sie auch diese Artikel:", "Mehr zum Thema auf Example.de",
    "Top-Themen bei EXAMPLE MAGAZIN", "Teilen mit:", "Wird geladen …", "Bild anzeigen", "Inhaltsverzeichnis", "Table of contents", "Sommaire",
    "Índice", "Loading…",
    "Kommentare erscheinen erst nach Prüfung.", "Ten tekst przeczytasz w 3 minuty",
    "We may receive compensation when you buy through links on this page.",
    "For the latest headlines download the Example Times app for iOS and Android.", "Download our free app",
    "Want updates from our campaign? Sign up here", "HAZTE MIEMBRO Y APOYA EL PERIODISMO INDEPENDIENTE",
    "Suscríbete ahora", "Abonnez-vous dès maintenant", "Wesprzyj nas darowizną",
    "Titelbild: Jane Doe/Example Agency", "Image illustrative : Jane Doe, licence Creative Commons",
    "Rubriklistenbild: © KCNA/dpa", "Symbolgrafik:© Jane Doe - stock.adobe.com",
    "Mit Ihrer Anmeldung akzeptieren Sie unsere Datenschutzbestimmungen.",
    "March 3, 2021 at 10:15 AM | categories: Travel | View Comments",
    "12/03/2019 - Publicado por: Ana Souza - Categoria: Esportes - Tags: futebol", "Posted by Jane Doe",
    "Ferry strike: unions reject the new offer [INSIGHT]|", "Harbour reopens after the storm [VIDEO]",
    "Le port rouvre après la tempête [VIDÉO]", "Port znów otwarty po burzy [ZDJĘCIA]",
    "Want to save articles to read later? Start your Example Premium subscription today.",
    "このニュースをシェア", "기사 URL이 복사되었습니다.", "【纠错】", "【责任编辑:张三】", "कॉपी लिंक",
    "SEE MORE: Storm warning issued for the coast", "Don't miss", "Popular", "Popular on Example News",
    "Related post: Pickled Brussels Sprouts Recipe", "Also on example.com Storm warning issued for the coast",
    "(Leggi anche su: Allerta meteo sulla costa)",
    "The Harbour Reopens After The Storm The Harbour Reopens After The Storm",
    # calls to action, credits and the post's taxonomy
    "CLICK HERE TO GET THE EXAMPLE NEWS APP",
    "Get Example Monthly delivered every month. 12 issues for £11.99. Click here for more information.",
    "Subscribe to Example Premium to bookmark this article",
    "Follow Example News on Instagram, Facebook, Twitter and YouTube.",
    "Follow our full coverage of the election at https://news.example/election",
    "Email Jane Doe at jdoe@example.com or follow her @janedoe. Follow us on Twitter @examplenews and on Facebook.",
    "Have a tip? Jane Doe may be reached at jdoe@example.com. Follow her on Twitter @janedoe or on Facebook.",
    "Credit: Jane Doe/Example Agency", "Foto: dpa", "Quelle: example.de",
    "Copyright: Jane Doe", "Copyright: Example Syndicate, 2025",  # a credit's label, no copyright notice
    "Filed under: Politics |", "Tags: economy, trade, harbour",
    "Associated Press writer Jane Doe in Paris contributed to this report.", "With files from The Associated Press",
    "Additional reporting by Jane Doe", "Mit Agenturmaterial.",
    # consent placeholders of embeds, rating and error-report widgets, ad labels, trial offers
    "Empfohlener redaktioneller Inhalt", "Link zum YouTube-Inhalt", "Ein Klick für den Datenschutz",
    "Ich bin damit einverstanden, dass mir der externe Inhalt angezeigt wird. Damit können personenbezogene Daten "
    "an Drittplattformen übermittelt werden.",
    "Fehler gefunden? Jetzt melden.", "Wie hat Ihnen dieser Artikel gefallen?", "Advertisement 1Story continues below",
    "Recommended Videos", "2 Wochen kostenlos testen", "Get the latest news from example.com in your inbox.",
    "Reviews and recommendations are unbiased. Example Media may earn an affiliate commission from purchases.",
    "Like this story? Share it with a friend!", "Tell us what YOU think...",
    "[button link=”https://example.co.uk/submit/” type=”big”] Send us YOUR review[/button]",
    # a share box's other buttons and its copy button's message, the text-size buttons, the error form,
    # the way back, a paid post's label, the rights reserved alone
    "Tweet this", "Pin it", "Email this article", "Share this article with a friend", "Teilen Sie diesen Artikel",
    "Link copied to clipboard", "Link in die Zwischenablage kopiert", "Lien copié", "Enlace copiado", "Copia link",
    "Font size", "Text size A A A", "Schriftgröße", "Taille du texte", "Report an error", "Fehler melden",
    "Signaler une erreur", "Segnala un errore", "Zurück zur Startseite", "Back to top", "Retour à l'accueil",
    "Paid post", "Scroll to continue with content", "Become a member", "WATCH:", "Topics", "Posted in News",
    "Alle Rechte vorbehalten.", "Tous droits réservés.",
    "Please enable JavaScript to view the comments powered by Disqus.", "Sign in to continue reading",
    # a newsletter box's field and outcome, a cookie banner's one sentence
    "Enter your email address", "Ihre E-Mail-Adresse", "Votre adresse e-mail", "You're all set!",
    "Schrijf je in voor onze nieuwsbrief", "Recibe las noticias en tu correo",
    "This site uses cookies.", "We use cookies to improve your experience.", "Manage cookie preferences",
    # reading time, in more of its spellings
    "Estimated reading time: 6 minutes", "Geschätzte Lesezeit: 5 Minuten", "Lecture 4 min.", "Lectura de 4 minutos",
    "読了時間：約3分", "阅读时间：3分钟", "읽는 시간 3분",
    # teasers behind more labels, the links on to the rest
    "Continue reading: Council approves the new tram line budget", "Auch lesenswert: Neue Tramlinie kommt 2026",
    "Das könnte Sie auch interessieren: Neue Tramlinie kommt 2026", "À lire également : La mairie vote le budget",
    "Te recomendamos: El alcalde dimite", "Ti potrebbe interessare: Il sindaco si dimette",
    "Lees verder: Burgemeester stapt op", "Przeczytaj też: Burmistrz rezygnuje",
    "(También puede leer: Quintero dijo que en Antioquia también planearían asesinar a Petro)",
    "Continue reading", "Read the full story", "Weiterlesen nach der Anzeige",
    # comment rules, an author box's heading and links, a handle behind its network, captions' labels
    "Please keep comments respectful and on topic.", "Comments may be moderated.",
    "By commenting you agree to our terms of service.", "Wir behalten uns vor, Kommentare zu löschen.",
    "Kommentare werden vor der Veröffentlichung geprüft.", "Les commentaires sont soumis à modération.",
    "About the author", "Über die Autorin", "À propos de l'auteur", "Sobre el autor", "More articles by Jane Doe",
    "Alle Artikel von Jane Doe", "X: @janedoe", "Follow Jane Doe on X", "Follow us on Google News",
    "Image source, Getty Images", "Image caption,", "Getty Images", "AFP via Getty Images",
    "Photograph: Jane Doe/Reuters",
    # affiliate disclosures as the programmes word them
    "As an Amazon Associate I earn from qualifying purchases.", "Als Amazon-Partner verdienen wir an qualifizierten Verkäufen.",
    "Our editors independently select these products.", "Prices were accurate at the time of publishing.",
    "Dieser Beitrag enthält Werbung.",
    # stray metadata: an update time with its label, an age, a script's ISO time
    "Updated 2 hours ago", "Last updated: March 12, 2024", "Mis à jour le 12 mars 2024 à 18h30",
    "Ultimo aggiornamento: 12 marzo 2024", "Atualizado em 12/03/2024 às 18h30", "Bijgewerkt op 12 maart 2024",
    "2024-03-12T18:30:00Z",
    # the Japanese, Korean and Chinese share boxes' other buttons, their reprint notices, a source's label
    "この記事をシェアする", "ツイート", "続きを読む", "無断転載・複製を禁じます", "기자 구독", "무단전재 및 재배포 금지",
    "기사 공유", "댓글 0", "글자 크기", "字体：大 中 小", "扫一扫", "分享到微信", "阅读全文", "来源：新华社", "编辑：张三",
    # Nordic, Czech, Hungarian, Turkish and Russian ones, a newsletter by its name, Google's source button
    "Del artikkelen", "Del på Facebook", "Kopier lenke", "Jaa artikkeli", "Nyhetsbrev", "İlgili haberler",
    "Čtěte také: Starosta rezignuje", "Olvassa el: A polgármester lemond", "Подписывайтесь на наш канал",
    "Unser Newsletter: Jeden Morgen die wichtigsten Nachrichten", "Add Example News as a preferred source on Google",
    # a breadcrumb trail from the home page, wherever it stands
    "Home » Politics » Council", "Home / News / Politics", "Startseite › Nachrichten › Politik",
    # teasers behind the labels of more boxes, their headings, and the calls to read on elsewhere
    "More on this: Council approves the new tram line budget", "Watch the video: Council approves the budget",
    "Trending: Council approves the new tram line budget", "Editor's pick: Council approves the new tram line",
    "Lesetipp: Neue Tramlinie kommt 2026", "Passend dazu: Neue Tramlinie kommt 2026", "À lire : La mairie vote le budget",
    "Leer también: El alcalde dimite", "Leggi: Il sindaco si dimette", "Lees hier: Burgemeester stapt op",
    "Related Video", "Latest News", "Breaking News", "Meistgelesene Artikel", "Dernières actualités", "Últimas noticias",
    "Ultime notizie", "Laatste nieuws", "Najnowsze",
    "Read more about the council's plans here.", "Find out more about the tram line on our website.",
    "Hier lesen Sie mehr über die Tramlinie.",
    # a paywall's meter and buttons, a newsletter box's pitch, the site's app, alerts, podcast, tip line
    "You have reached your limit of free articles.", "You've read 3 of 5 free articles this month.",
    "Create a free account to continue reading.", "Unlock this article", "Jetzt 4 Wochen gratis testen",
    "Sie haben bereits ein Abo? Hier anmelden", "Iscriviti per continuare a leggere", "Assine para continuar lendo",
    "Zaloguj się, aby czytać dalej", "Stay up to date with our daily newsletter.",
    "The best stories, delivered to your inbox every morning.", "Recevez chaque matin l'essentiel de l'actualité.",
    "Download the Example News app", "Turn on notifications", "Listen to our podcast", "Follow our live coverage",
    "Send us your tips", "Have a news tip? Contact us.", "Advertise with us", "Presented by Example Bank",
    # contact lines in more shapes: an address beside a handle, a handle "on X", "Reach ... at", "Mail:", Italian
    "jane.doe@example.com | @janedoe", "Jane Doe on X: @janedoe", "Reach Jane Doe at 555-123-4567 or jane.doe@example.com.",
    "Scrivi a redazione@example.com", "Mail: jane.doe@example.com", "Folgen Sie der Autorin auf X",
    # what an ad slot leaves in the corpora's languages, and the ad networks' own labels
    "Article continues after advertisement", "Weiter nach der Anzeige", "La suite après cette publicité",
    "Continúa leyendo después del anuncio", "Continua a leggere dopo la pubblicità", "Continua após a publicidade",
    "Het artikel gaat verder onder de advertentie", "Dalsza część artykułu pod reklamą", "Ads by Google",
    "Recommended by Outbrain", "Around the Web", "Anzeige | Example Bank", "AdChoices",
    "Zapraszamy też do subskrypcji tygodnika i oglądania audycji telewizji.",
    # a teaser label of two words, reading time as a phrase, a sign-up button, a cookie sentence in German
    "Trending now: Harbour plan faces fresh delay", "Read in 3 minutes", "Jetzt kostenlos anmelden", "Sign up for free",
    "Diese Website verwendet Cookies.",
    # the story's own buttons, what a video or an embed prints in its place, tip lines, newsletter pitches
    # without the word, paywall prompts, credits and taxonomy without their colon
    "Rate this article", "Give feedback", "Gift this article", "Artikel verschenken", "Download PDF",
    "Listen to this article 5 min", "Hören Sie diesen Artikel", "Escuchar artículo", "Promoted",
    "Tap to unmute", "Watch on YouTube", "Your browser does not support the video tag.", "Click to enlarge",
    "This content is not available in your region", "Like Loading...",
    "Do you have a story to share? Contact our newsroom.", "Send us your photos and videos",
    "Corrections: If you spot an error, please contact us.", "Want the latest news? Subscribe now.",
    "Die wichtigsten News des Tages direkt in Ihr Postfach", "Ricevi le notizie più importanti via email",
    "Ontvang dagelijks het laatste nieuws in je mailbox", "Otrzymuj najważniejsze informacje na swoją skrzynkę",
    "Dieser Artikel ist exklusiv für Abonnenten", "Continue reading with a subscription", "Jetzt weiterlesen für 1 €",
    "Image credit: Jane Doe", "Crédit photo : Jane Doe", "Filed under Politics, Local",
    # a writer's role alone in the corpora's other languages, with the desk or the place
    "Redakteur in der Wirtschaft.", "Korrespondentin in Paris", "Rédactrice en chef adjointe",
    "Journaliste au service politique", "Periodista de la sección de Economía", "Corresponsal en Berlín",
    "Redattore della sezione Esteri", "Redacteur buitenland", "Sull'autore",
    # a newsletter box's heading naming it, its pitch, a paywall's offer
    "Get the Morning Brief", "Sign up for The Daily Digest", "The top stories in your inbox every weekday.",
    "The day's top stories from our newsroom, delivered to your inbox every weekday at 6am.",
    # the box's small print, its button and outcome, a feedback widget, an invitation to comment, player notes
    "No spam, unsubscribe anytime.", "You can unsubscribe at any time.", "We'll never share your email address.",
    "By clicking Sign Up, you confirm that you agree to our privacy policy.", "Count me in", "Je m'inscris",
    "You're all set. Check your inbox to confirm your subscription.", "Yes No",
    "What do you think? Leave a comment below.", "This content is paid for by an advertiser.", "Audio is AI-generated.",
    "First published on Tuesday 12 March 2024", "Written by", "Geschrieben von",
    "Sort by", "Sort by Newest Oldest Best", "Sortieren nach", "Got a question about this story? Ask us.",
    "Listen to our daily podcast, The Briefing, wherever you get your podcasts.", "Get the latest news on WhatsApp",
    # view counters, the story's length beside its reading time, a membership site's pitch, a credit and a
    # newsletter's pitch in Japanese, Korean and Chinese
    "1,237 views", "Views: 1237", "Aufrufe: 1237", "123 mal gelesen", "Просмотров: 1237", "조회수 1237", "閲覧数 1237",
    "Wyświetleń: 1237", "977 parole", "1.234 Wörter", "- 5 minuti di lettura - 977 parole",
    "- 5 min. skaitymo - 996 žodžiai", "Common Ground is free to read because members chip in. Become one today.",
    "提供：朝日新聞デジタル", "メールアドレスだけで登録できます。ニュースレターで毎朝の主要ニュースをお届けします。",
    "뉴스레터를 구독하세요", "订阅我们的新闻简报",
    # German publishers' consent placeholders, paywall offers and newsletter boxes; English regional papers'
    # registration wall, republication notes and reading lists
    "An dieser Stelle finden Sie einen ergänzenden externen Inhalt von Instagram. Wenn Sie ihn anzeigen lassen, "
    "werden personenbezogene Daten an den Anbieter übermittelt.",
    "Mit Ihrer Zustimmung wird hier ein externes YouTube-Video (Google Ireland Limited) geladen.",
    "Dieser Inhalt wird von einem externen Anbieter bereitgestellt. Mit dem Abspielen stimmen Sie der Datenübermittlung zu.",
    "Alle Artikel auf example.de lesen – jederzeit kündbar.", "Jetzt für 1 € testen", "Jetzt testen",
    "Alle Plus-Artikel lesen – 1 Monat für nur 1 €, danach monatlich kündbar.",
    "Lesen Sie diesen Artikel und alle weiteren Plus-Inhalte mit dem Digital-Abo.", "Newsletter „Stadt mit K“",
    "Die wichtigsten Nachrichten aus der Stadt – jeden Morgen im Postfach.", "Mehr Artikel aus dieser Rubrik gibt's hier: Leben",
    "Create an account or sign in to continue with your reading experience.",
    "Unlimited online access to Example Citizen and 15 news sites with one account.", "Support local journalism.",
    "This story was originally published October 21, 2025 5:00 AM.", "Originally published as Council approves harbour plan",
    "Recommended reading:",
    # French, Spanish, Italian, Portuguese, Danish, Polish and Czech publishers' walls, apps, alerts, rules and captions
    "Vous avez envie de lire la suite ?", "Débloquez tous les articles immédiatement.", "Le débat est ouvert aux abonnés.",
    "Esta funcionalidad es exclusiva para suscriptores.", "Naviga senza limiti su tutti i contenuti del sito.",
    "Abbonati a 1€ al mese", "Denne artikel er forbeholdt abonnenter", "Ten artykuł jest dostępny dla subskrybentów",
    "Få adgang til alle artikler for 1 kr. den første måned.", "Dostęp do wszystkich treści za 1 zł przez pierwszy miesiąc.",
    "Kup prenumeratę Zaloguj się", "Køb abonnement Log ind", "Wykup subskrypcję Premium i czytaj bez ograniczeń.",
    "Przeczytaj ten artykuł z subskrypcją cyfrową", "Reporta un error en esta noticia", "Más información",
    "Descárgate la app de La Voz del Norte y no te pierdas nada.", "Conforme a los criterios de The Trust Project",
    "Scarica l'app del Corriere del Mattino: notizie in tempo reale sul tuo smartphone.", "Le regole della community",
    "Attiva le notifiche per ricevere le ultime notizie", "4 febbraio 2025 (modifica il 4 febbraio 2025 | 15:58)",
    "📲 Participe do canal do p1 no WhatsApp", "VÍDEOS: mais assistidos do p1",
    "Dziękujemy, że przeczytałaś/eś nasz artykuł do końca. Bądź na bieżąco! Obserwuj nas w Wiadomościach Google.",
    "Snímek z jednání. foto: ČTK", "Imagem de arquivo — Foto: Reuters", "Der Bürgermeister am Montag. Foto: dpa",
    # a teaser's label glued to the other story's headline
    "Leer más El Gobierno aprueba la reforma del subsidio por desempleo", "Read more Council approves the harbour plan",
    "Die wichtigsten Nachrichten des Tages jeden Morgen in Ihrem Postfach.",
    "Get unlimited access to Example News for just $1 a week.",
    # sign in or subscribe to read on, newsletter pitches, support pitches, comment links in more languages
    "Melden Sie sich an, um weiterzulesen", "Connectez-vous pour lire la suite", "Inicia sesión para seguir leyendo",
    "Abonneer om verder te lezen", "Wykup subskrypcję, aby czytać dalej", "Jetzt abonnieren und weiterlesen",
    "Inscrivez-vous pour recevoir l'essentiel de l'actualité", "Recibe cada mañana las noticias más importantes",
    "Ricevi ogni mattina le notizie più importanti", "Ontvang elke ochtend de belangrijkste nieuwsberichten",
    "Your subscription supports independent journalism.", "Sostieni il giornalismo indipendente",
    "¿Qué opinas? Déjanos tu comentario.", "Kommentare anzeigen",
    # bare metadata: a Polish date and age, a dotted ISO date, an image's file name
    "czwartek, 14 marca 2024", "3 godziny temu", "godzinę temu", "2024.03.14 12:45", "logo.png",
    # related headings, comment headings and invitations, a teaser label and a follow prompt in ru, tr, ja, zh,
    # ko, hu
    "Новости по теме", "Оставить комментарий", "Bunu da okuyun: Liman planı yine ertelendi", "コメント", "评论",
    "关注我们的微信公众号", "관련기사", "Hozzászólások",
    # share, print, save and sponsored labels in pt, it, nl, pl, fr, de
    "Compartilhe esta notícia", "Deel op Facebook", "Udostępnij na Facebooku", "Udostępnij artykuł", "Per E-Mail teilen",
    "Afdrukken", "Drukuj", "Zapisz artykuł", "Enregistrer l'article", "Artikel speichern", "Artigo patrocinado",
    "Contenuto sponsorizzato", "Gesponsorde inhoud", "Artykuł sponsorowany", "Powiązane artykuły",
    # related headings, buttons and notices met inside the story's top and middle: "Also read", show-more
    # buttons, follow buttons, the tip line, a gallery's counter, the skip links, reCAPTCHA's notice
    "Nächster Artikel", "ALSO READ", "Read also:", "Lea también:", "Popular stories", "What to read next",
    "Explore more on these topics", "Recommended by", "Czytaj dalej", "Voir plus", "Ver más", "Comment on this story",
    "Commenta", "comments powered by Disqus", "Schlagwörter: Hafen, Rat", "Send us a tip", "Got a story? Contact us",
    "Thank you for your feedback!", "Follow", "Follow this author", "Manage preferences",
    "Invalid email address", "Cancel anytime", "Skip to main content", "Zum Inhalt springen", "1 / 12", "3 of 12",
    "Facebook Twitter LinkedIn Email",
    "This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply.",
    # a poll's, a rating's, a player's and a gift button's lines
    "View results", "Vote", "How useful was this article?", "★★★★★", "Thank you for your rating!",
    "Listen to the podcast", "00:00 / 12:34", "Video duration 02:15", "Now playing", "Powered by Example Audio",
    "Join now", "You have 5 gift articles left this month.",
    # reading and listening time in more of their spellings
    "3 perc olvasás", "3분 읽기", "約3分で読めます", "阅读 3 分钟", "A 3-minute read", "⏱ 3 min", "4 min listen",
    "Leitura: 3 min", "Approx. reading time: 5 minutes",
    # a comment thread's controls and notices, a teaser naming the site, affiliate notes in other words
    "Sort by: Newest", "Oldest first", "Report abuse", "Reply · Like · 3h", "Sign in to join the conversation",
    "Write a comment...", "Scrivi un commento", "Votre commentaire sera publié après modération.",
    "Also on Example News: Bridge repairs to start in May",
    "If you buy something through our links, we may earn money from our affiliate partners.",
    "Wir erhalten eine Provision, wenn Sie über diese Links kaufen.",
]

# What forms, buttons and widgets print when their script does not run: comment counts, a comment
# form's errors, a newsletter box's states, a log-in box, a paywall's prompt, share, print, bookmark,
# "load more" and skip-ad buttons, a loading placeholder, an icon font's ligature before a label
FORMS_AND_BUTTONS = [
    "3 Kommentare", "- 5 Kommentare", "12 commentaires", "4 comentarios", "Neue Kommentare",
    "Kommentare werden geladen...", "- chat_bubble 0 Kommentare", "- bookmark_border Auf die Merkliste",
    "Um einen Kommentar zu hinterlassen, loggen Sie sich bitte ein.",
    "Beim absenden Ihres Kommentar ist ein Fehler aufgetreten. Bitte versuchen sie es erneut.",
    "Ihr Kommentar ist zu lang. Es sind maximal 2048 Zeichen erlaubt!", "Your comment is awaiting moderation.",
    "Would you like to comment on this article?",
    "Kommentare von Lesern stellen keinesfalls die Meinung der Redaktion dar!",
    "E-Mail AdresseBitte geben Sie Ihre E-Mail-Adresse ein!", "Please enter a valid email address.",
    "Sie haben sich soeben zu unserem Example Newsletter angemeldet.",
    "Sie erhalten von uns umgehend eine E-Mail mit einem Bestätigungslink.",
    "Ihre Anmeldung wurde nicht ausgeführt. Bitte Überprüfen Sie die Richtigkeit Ihrer E-Mail-Adresse.",
    "Your subscription failed. Please check your e-mail address.",
    "Du erhältst in Kürze eine E-Mail von uns mit Infos, wie du dein Passwort zurücksetzen kannst.",
    "Dein Passwort wurde erfolgreich geändert. Du kannst dich ab sofort mit dem neuen Passwort anmelden.",
    "Passwort vergessen?", "Forgot your password?", "Stay signed in", "Login oder Anlage eines Benutzerkontos",
    "Möchten Sie eingeloggt bleiben? (Es wird ein Cookie gesetzt.)", "Login oder neu registrieren?",
    "Sie möchten gerne weiterlesen?", "Registrieren Sie sich jetzt kostenlos:", "Hier anmelden",
    "This is a preview of subscription content, log in to check access.",
    "I have read and understood the Example Privacy Notice. Do not show this message again.",
    "- Teilen auf", "Partager sur Instagram", "Share via WhatsApp", "Liken Sie uns auf Facebook", "Seite drucken",
    "Print this article", "Save for later", "Load more stories", "weitere Pressemitteilungen laden...",
    "Passer la publicité", "Skip ad", "- Advertisement embed-more-topicStory continues below", "weiterlesen →",
    "LIRE AUSSI SUR EXAMPLE.FR", "À lire aussi La natalité russe menacée d’effondrement",
    "Mehr zum Thema finden Sie auch im wöchentlichen Zins-Check:",
    "More AP NBA: https://apnews.com/NBA and https://twitter.com/AP_Sports",
    "Or by Email: [email protected] / [email protected]", "Loading weather data ...",
    "Ingrese su correo electrónico", "Veuillez saisir votre adresse électronique",
    "A post shared by Jane Doe (@janedoe) on Mar 5, 2020 at 10:00am PST",
    "Sieh dir diesen Beitrag auf Instagram an", "View this post on Instagram", "A post shared by Jane Doe (@janedoe)",
    "Switch zum Einwilligen bzw. Ablehnen des Dienstes YouTube", "Bildergalerie", "MEHR ERFAHREN",
    "Fotocredit: Jane Doe © 2021 Example Inc. All Rights",
    "Vorschau auf den nächsten Artikel", "Previous article", "Article suivant",
    "Escucha esta nota aquí", "Artikel anhören", "Écouter cet article", "For more stories like this, check our news page.",
    "Get daily National news", "＞ ログイン", "分享让更多人看到", "| Kommentieren | |",
    "Join thought-provoking conversations, follow other Example readers and see their replies",
    "Lea: Consejo Permanente de OEA aborda este miércoles la confiscación de sus oficinas", "Release Date:",
    "Veröffentlicht am", "Submit your letter to the editor via this form. Read more Letters to the Editor.",
    "“swipe left below to view more authors”Swipe →", "Nach links wischen",
]

# The site asking its readers for money: support us, our journalism, a donation box's heading and button
SUPPORT_PITCHES = [
    "Unterstütze ExampleMag bereits mit 2,50!",
    "Example ist gemeinnützig und unabhängig. Unterstütze unsere Arbeit und abonniere das Magazin ab 19,90 Euro im Jahr!",
    "Deshalb unterstütze uns (monatlich oder auch einmalig) und wir sorgen weiterhin für Journalismus im Internet.",
    "Darum: Hilf mit und unterstütze unser Magazin mit einem kleinen Beitrag. Wie? Das erfährst du hier.",
    "Um unabhängiger von Werbeeinnahmen zu sein, brauchen wir deine Unterstützung.",
    "Dieser Artikel ist wichtig! Sichere diesen Journalismus!",
    "Helfen Sie mit, unseren Journalismus auch in Zukunft möglich zu machen! Jetzt mit wenigen Klicks unterstützen!",
    "Genau das ist unser Ziel: Aufklärung mit gutem Journalismus. Sie können das unterstützen. Darum: Example "
    "abonnieren für die Pressefreiheit!",
    "Diese Recherche wurde mit der Unterstützung von Bürgerinnen und Bürgern realisiert. Jetzt unterstützen!",
    "❤ Example unterstützen", "Gefällt dir unser Klettermagazin?", "Enjoying our latest content?",
    "Hat dir dieser Artikel gefallen? Dann würde es uns freuen, wenn du uns mit einem monatlichen Beitrag unterstützt.",
    "Ihnen gefällt unser Programm? Informationen zu Unterstützungsmöglichkeiten finden Sie hier: https://example.org/u/",
    "| We need your help Help us continue to spread the magic of words to readers everywhere Donate |",
    "Independent journalism needs your support.", "Support our journalism: become a member today.",
    "Tú también puedes hacer periodismo incómodo. Cancela cuando quieras.",
    "Czytasz nowy rodzaj materiału na naszym portalu. Wesprzyj nas darowizną lub przekaż nam 1% podatku.",
    "Soutenez-nous : faites un don à la rédaction.", "Sostienici: abbiamo bisogno del tuo sostegno per il nostro giornalismo indipendente.",
    "Support independent journalism", "Unterstützen Sie unabhängigen Journalismus!", "Soutenez notre journalisme indépendant.",
    "Please consider supporting our journalism.", "Liked this article? Support us on Patreon.", "Enjoying our coverage?",
    "Sie können uns mit einem Abo unterstützen.",
    "Gefällt Ihnen dieser Artikel? Dann unterstützen Sie uns!", "Unterstützen Sie uns", "Steun ons",
]

# Sentences of articles that mention the same things, and must stay
ARTICLE = [
    "The ministry declined to comment on the closed investigation, a spokesperson said on Monday.",
    "The newsletter, which reached two million subscribers last year, was sold to a media group.",
    "The account that made the post is not affiliated with the agency and has published false claims.",
    "Mehr als eine Million Menschen in Österreich leben in Wohnungen mit sogenannten Richtwertmieten.",
    "Read the full report at http://www.example.org/report",
    "- befristete Mietverträge abschaffen: Befristete Wohnverhältnisse sollen die Ausnahme sein",
    "His comments, made at a closed-door meeting, angered allies.",
    "The senator's comments drew criticism from moderate Republicans.",
    "Police said the gang used the newsletter to get the addresses of victims.",
    "The newsletter about the assassination plot was leaked to reporters.",
    "Samsung and its affiliate partners in Vietnam posted record profits.",
    "More-than-expected inflation hit markets on Tuesday.",
    "Related-party transactions rose 5% in the quarter.",
    "More – much more – is needed, the minister said.",
    "Less than a day later, the screenshots of the WhatsApp messages were sent from an anonymous email address, "
    "example@example.com, to reporters.",
    "- Sign up for the streaming bundle using the same email as your existing account",
    "Popular support for the measure fell to 40 percent in March.",
    "The senator wrote on Twitter that the vote would be held on Friday.",
    "Photographers were kept away from the harbour until noon.",
    "© 2019 Example Press. All rights reserved.",  # notices stay: human reference texts keep them often
    "Reporting by Jane Doe in Paris; Editing by John Roe",  # as the wire's own credit: reference texts keep it
    "Police said the gang used the newsletter to get the addresses of victims delivered to their inbox.",
    # sentences that share words with the interface phrases above
    "Tax credits apply to qualifying purchases of electric vehicles made after January.",
    "We independently verified the footage with three witnesses who were at the scene.",
    "The Times independently reviewed the documents obtained by the committee.",
    "Posted in 2019, the video went viral within hours and drew millions of views.",
    "More stories from the front line emerged on Tuesday as the army advanced.",
    "Alle Artikel von der Konferenz wurden am Montag veröffentlicht.",
    "Enable JavaScript in Chrome's settings menu, then reload the page.",
    "Based on x-rays, doctors said the player would miss three weeks.",
    "Correction: An earlier version of this story misstated the date of the meeting.",
    "Residents who want the new pier? Subscribers to the local paper learned of it first.",
    "Filed under seal, the documents were released on Monday.",
    "Promoted to captain last year, she led the team to the title.",
    "Listen to this: the council will vote again next month.",
    "Redakteur in der Wirtschaftsredaktion der Zeitung seit 2010, sagte er.",
    "Journaliste au service politique du journal depuis vingt ans, elle connaît le dossier.",
    "Subscribers get unlimited access to the archive, the company said.",
    "Get the brief from the council before the vote, residents urged.",
    "Log in to the portal to continue reading the minutes, the council advised.",
    "Kommentare anzeigen zu lassen, war der Wunsch vieler Leser.",
    "Drukuj więcej ulotek, radził burmistrz.",
    "Deel op Facebook je foto's van de haven, vroeg de gemeente.",
    "Follow-up tests based on x-rays showed no fracture, the team said.",
    "Lecture 4", "Copy the link from the address bar and paste it into the form.",
    "The prices were accurate according to the regulator's own survey.",
    "Dieser Film enthält Werbung für ein Produkt, das es nicht mehr gibt.",
    "Report an error in the tax form to the office within 30 days.",
    "Reuters reported that the talks had stalled.", "Last updated in 2019, the guidelines are now under review.",
    "Background: the council first proposed the tram line in 2019.", "Previously: the line ran only to the station.",
    "Read more about it in the council's report, which was published on Friday.",
    "Presented by the mayor at the town hall on Tuesday evening, the plan drew applause.",
    "Readers have reached the limit of their patience with the council, she wrote.",
    "@janedoe said the vote was rigged, and the council denied it on Tuesday.",
    "Tel.: +49 30 1234567",  # an office's number in the article's box of facts: references keep it
    # the period an exhibition runs, a fraction, a row of a table: numbers the article gives
    "More students from the region enrolled this year.", "By The Numbers", "Von Kindern und Eltern",
    "By land and sea",
    "Weitere Informationen erteilt Anne Doe in der Leitstelle unter Tel. 01234 5678 (doe@example.de).", "The club is open to members only.",
    "He was already a subscriber when the paper folded.", "The firm offers discounts for subscribers and members.",
    "Police said the comments were approved by the moderator of the group before they were posted.", "Weiterführender Link",
    "29 November 2018 | 20 January 2019", "23.10.2015 - 25.10.2015", "1/4", "| 2019 | 12 | 15 |",
    "Follow the money, she said.", "Saved by the bell, the team won in the final minute.",
    "3 of 12 council members voted against the plan.", "Also read by the committee were the minutes of 2019.",
    "Send us a tip, police urged residents who saw the fire.", "x x x",
    "UP NEXT",  # AP's heading over a team's next games: references keep it
    "Report abuse to the police, the council urged residents.", "Also on Monday: the council met again.",
    "Also on the agenda: a vote on the harbour budget.",
    "Vote counting began at 8 p.m., officials said.", "Powered by wind, the boat crossed in a day.",
    # news that uses a comment system's, a paywall's or a standards box's words
    "The survey measured the opinion of the readers of three newspapers.",
    "Pakistan reserves the right to respond to the comments of the Indian minister, the statement said.",
    "こちらが新しい駅の完成予想図です。",
    "If you enjoyed the match, the replay is on Sunday at noon.", "(Reuters reported)",
    "Users will be able to opt out at any time, the company said in a statement on Tuesday.",
    'Meta told regulators that users who worry can "read our privacy policy" before they agree.',
    "Journalism needs your support more than ever, the UN's special rapporteur told the assembly.",
    "Under the new law, the platform reserves the right to remove comments that incite violence.",
    "Users can now join a WhatsApp channel run by the health ministry.",
    "경찰은 '여기를 클릭하세요'라는 문자를 보낸 사기범 3명을 체포했다.", "诈骗短信以“点击查看”为诱饵骗取个人信息。",
    "Journalism needs more money, the minister said.",
    "Die Sprecherin war nicht erreichbar, um einen Kommentar abzugeben.",
    "Our standards have slipped, and the voters know it.", "Why trust the polls",
    "有料会員数は100万人を突破した。", "The feature is exclusive to subscribers of the premium tier.",
    "Le quotidien réserve désormais la moitié de ses articles aux abonnés.", "Il vous reste trois jours pour voter.",
    "Note: false", "Sendung verpasst? Die Folge vom 24.04. läuft am Sonntag noch einmal um 18 Uhr im Ersten.",
    "Anleger riskieren einen Totalverlust des eingesetzten Kapitals, warnt die Finanzaufsicht.",
    "The regulator said the app's tips were not investment advice.",
    "The court ruled that written permission is required before a landlord may enter.",
    "Berlin | Die Koalition hat sich geeinigt", "Facebook | Die Plattform sperrt weitere Konten der Gruppe",
    "Berlin - Die Koalition hat sich geeinigt", "Share - the company's stock - fell by ten percent",
    "Publicado por el Ministerio, el informe llega tarde.",
    "The harbour will reopen on Monday, the minister said. [AP]", "The ruling is final [sic]",
    # news in the words of a notice or a prompt
    "Residents of Kauai receive compensation for flood damage from the state fund.",
    '"We receive compensation only after two years," the farmer said.',
    "Abbonati in calo per Netflix in Italia nel primo trimestre.",
    "Hazte socio del club si quieres votar, dijo el presidente a los aficionados.",
    "Les places sont réservées aux abonnés du club.",
    "Pour accéder en illimité aux transports franciliens, il faudra débourser 86,40 euros par mois.",
    "Users can download the Covid Alert app for iOS and Android from Monday, the ministry said.",
    "iOS:", "- iPadOS:", "macOS:", "eBay:",
    "Anzeige: Polizei ermittelt gegen Betreiber", "Werbung: Ein Verbot für Tabakwerbung soll bald kommen.",
    "Der Anbieter betont, die App stellt keine Anlageberatung dar, sondern informiert nur über Kurse.",
    "By signing up, you agree to give up your rights, the lawsuit alleges.",
    "L'accès au parking est réservé aux abonnés.", "Le tarif réduit est réservé aux abonnés de la SNCF.",
    "easyJet:", "airBaltic:", "Anzeige - Polizei ermittelt gegen Betreiber", "Annonce - Le gouvernement dévoile son plan",
    "Palestinians inspect the site of an Israeli strike in Gaza City [AFP]",
    "God bless you and God bless America [APPLAUSE]",
    "Published by Penguin Random House", "Written by Greta Gerwig", "Escrito por Gabriel García Márquez",
    "For the latest figures, download the full report from the ministry's website.",
    "Why Can't Taylor Swift Perform Her Own Songs? It's Complicated [Bloomberg]",
    "Sie sind nicht eingeloggt, sagte der Techniker, und deshalb sei das Konto gesperrt worden.",
    "The ministry said residents could download the new warning app from Monday.",
    "Anzeige gegen den Bürgermeister: Die Staatsanwaltschaft ermittelt wegen Untreue seit dem Frühjahr und prüft "
    "weitere Vorwürfe.",
    "Das Video ist noch bis Sonntag in der Mediathek verfügbar, wo es bereits hunderttausend Mal abgerufen wurde.",
    "If you enjoyed this article, you will find the second part of the series even more gripping: in it, the reporters "
    "follow the money from the port of Rotterdam to a shell company in Cyprus, and then to three villas on the coast "
    "that belong, on paper, to nobody at all. The investigation took eleven months and forty interviews.",
    "The ministry sent the new rules by email to all schools and asked them to sign up for the training.",
    # cookies in the news: quoted, or reported in the third person
    "We use cookies sparingly, the company's privacy chief said, adding that users can agree or refuse on a new page.",
    "The regulator found that the site uses cookies to track readers without their consent, and fined it 2 million euros.",
    "Wir verwenden Cookies nur noch sparsam, sagte der Datenschutzbeauftragte des Unternehmens am Montag in Berlin.",
    # a disclaimer quoted or reported on, in a long paragraph of the story
    "\"This post is not financial advice,\" reads the small print under many of the clips, yet regulators say the "
    "disclaimer does little to protect young viewers. The Financial Conduct Authority said on Tuesday that it had found "
    "dozens of accounts promoting high-risk products to teenagers. He could suffer a loss of the entire capital he put "
    "in, the regulator warned, adding that it would write to the platforms this week to ask them to act on it.",
    "Kapitalanlagen sind grundsätzlich mit einem Risiko verbunden, das wissen die meisten Sparer. Doch was die "
    "Verbraucherzentrale Hamburg am Dienstag vorlegte, überrascht selbst Fachleute: Bei den untersuchten Angeboten des "
    "Grauen Kapitalmarkts habe fast jeder zweite Kunde einen Totalverlust erlitten. Die Verbraucherschützer fordern "
    "deshalb strengere Regeln für den Vertrieb solcher Produkte und mehr Personal für die Finanzaufsicht.",
    "At a hearing in Washington on Tuesday, lawyers for the trading app argued that a banner reading 'the content is "
    "not investment advice' had been shown on every screen. The Securities and Exchange Commission disagreed, saying "
    "the app's design nudged users toward risky options trades, and that the banner was too small to read on phones.",
    # an invitation to join, in a feature; the edition by e-mail, in a story
    "If you enjoyed this story, you might also like to join the thousands of walkers who turn out each year for the "
    "Great North Run, which starts on the Tyne Bridge and ends by the sea at South Shields, where volunteers hand out "
    "water and medals. Last year the organisers counted more than sixty thousand runners and walkers.",
    "Subscribers who sign up receive the print edition by email at 5am.",
    # an expert on risk, in a long paragraph of the story
    "Aktien und andere Investments sind grundsätzlich mit einem Risiko verbunden, sagt die Anlageberaterin Jana "
    "Beispiel aus Hamburg, die seit zwanzig Jahren Privatkunden betreut. Wer jung sei und lange Zeit habe, könne "
    "Kursschwankungen aber aussitzen; wichtiger als der richtige Zeitpunkt sei, regelmäßig zu sparen und die Kosten "
    "der Fonds im Blick zu behalten. Viele ihrer Kunden hätten im Jahr 2020 zu früh verkauft und den Aufschwung danach "
    "verpasst, erzählt sie.",
    # the same words as the forms' and buttons', in the news
    "CNN has reached out to the royal family for comment.",
    "Loading the ship took three days.",
    "Die Betrüger schicken eine E-Mail mit einem Bestätigungslink, der auf eine gefälschte Seite führt.",
    "Nach der Buchung erhalten Sie eine E-Mail mit Ihrem Ticket.",
    "Her comment is too long to quote in full, the judge said.",
    "The company said users should reset their password immediately.",
    "\"Your password has been changed,\" read the fake message that thousands received.",
    "Lire aussi, le rapport publié mardi par l'Insee montre une baisse.",
    "Mehr zum Thema Rente sagte der Minister nicht.",
    "More than 40 people were killed: https://example.com/list has their names.",
    "Sie möchten gerne weiterlesen, doch die Bibliothek schließt um acht.",
    "3 Kommentare zu Merz' Rede sorgten für Aufregung im Bundestag.",
    "Shares of Apple rose 3 percent on Monday.",
    "A post shared by the minister on Instagram was deleted an hour later.",
    "Die Galerie zeigt Werke von zwölf Künstlerinnen aus Leipzig.",
    # the reviewer's lines in the forms' words that are news, questions, advice or titles
    "Lesen Sie auch Zeitung?", "Leggi anche Dante?",
    "Los migrantes llegaron cargando sus pertenencias…", "Die Stadt lädt zum Sommerfest...",
    "Wir laden Sie herzlich ein …", "Loading the trucks took hours...",
    "Auf eine E-Mail von uns antwortete sie nicht.",
    "Nach einer E-Mail von unserem Reporter bestätigte sie den Vorfall.",
    "Garcia received an email from US immigration officials: you have 30 days to leave.",
    "La página falsa pide a la víctima que ingrese su correo y su contraseña.",
    "If your password was reset without your request, contact the bank immediately.",
    "Die Kleinpartei kritisierte, ihre Anmeldung konnte nicht rechtzeitig geprüft werden.",
    "Ihr Passwort wurde geändert, ohne dass sie es bemerkte, berichtet die Polizei.",
    "Please check your email settings before travelling abroad.",
    "Remember Me (2010)", "Remember Me",
    "A post shared by the Ministry of Defence (@DefenceHQ) on Instagram shows the new tanks.",
    "Search", "Gallery", "Galerie", "Save", "Bookmark",
    # a recipe's quantity on a line of its own, a series' part, a score
    "1/4", "Part 1 of 3", "Die Mannschaft gewann 3 von 4 Spielen.",
    # a heading in a picture word's shape, not a picture's label
    "Leitbild: Wir stehen für Nachhaltigkeit.",
    "is_active true",
    "In the next article, I'm going to share my mindset tips.",
    "Users can tick a box that says don't show this message again.",
    "Wir bitten um Anmeldung bis zum 12. November unter [email protected]. Die Einwahldaten schicken wir Ihnen dann zu.",
    # appeals a story reports, support that is news, a list of ways to help, statements about journalism
    "Unterstützen Sie uns mit einer Spende, bittet der Verein.", "Please make a donation to the Red Cross.",
    "Die Regierung unterstützt uns nicht.", "Jetzt unterstützt uns auch die Stadt mit 5000 Euro.",
    "Deshalb unterstützen sie uns mit 5000 Euro im Jahr.", "We need your help to identify this man.",
    "- hilf mit, unsere Dokumentation auf unseren Webseiten zu übersetzen", "Guter Journalismus kostet Geld.",
    "Das Grundgesetz sichert freien Journalismus.", "Der Verein finanziert sich durch Spenden und Mitgliedsbeiträge.",
    "Lea: Ja, total.", "LEE: Well, I think the thing is --", "Lea: Ich weiß nicht, vielleicht", "Lee: A Life in Film",
    "Mire: Nos vemos mañana, dijo", "Vea: Ella dijo que sí", "Spenden", "Love our planet", "Support our local businesses this Christmas.",
    "“We need your support to keep the newspaper alive,” the publisher told the staff.",
    # charities, police, schools, parties and the country asking, and questions of interviews and reviews
    "Trump's message to Europe: support US industry or face tariffs of 25% on $300 billion of goods.",
    "Please support our library levy on the November ballot; it costs the average homeowner just $25 a year.",
    "Support our local businesses this Christmas — every $1 spent locally returns 67 cents to the community.",
    "Die Botschaft der Tafel ist klar: Unterstützen Sie uns mit Lebensmittel- oder Geldspenden.",
    "Unterstützen Sie unser Krankenhaus! Mit diesen Worten warb die Klinik um Spenden für ein neues MRT-Gerät.",
    "Wesprzyj naszą zbiórkę – każda wpłata się liczy, apelują rodzice pięcioletniej Ani.",
    "Die Grünen stellen die Mehrheit; nur mit ihrer Unterstützung kann der Haushalt beschlossen werden, der drei "
    "Millionen Euro für die Sanierung vorsieht.",
    "Die Freiwillige Feuerwehr sucht dringend neue Mitglieder: Wir brauchen Ihre Hilfe, so Wehrführer Klaus Meier.",
    "Nur mit Ihrer Spende kann die Weihnachtsaktion unserer Zeitung den Familien helfen.",
    "We need your help to identify this man. Police are offering a $1,000 reward.",
    "Unterstützen Sie uns mit einer Spende, heißt es im Aufruf des Vereins.",
    "Abbiamo bisogno del tuo aiuto: la Croce Rossa lancia una raccolta fondi e ogni donazione conta.",
    "Gefällt Ihnen diese Rolle?", "Did you enjoy this tour?", "¿Te gusta esta ciudad?", "Vous aimez notre pays ?",
    "Did you like this year's Super Bowl ads? Advertisers paid $7 million for 30 seconds of airtime.",
    "Die Medienförderung, so die Ministerin, sichere unabhängigen Journalismus in der Fläche.",
    "Become a member of a gym with a pool: many offer discounts for seniors.",
    "Faites un don au Secours populaire : l'association, indépendante, a besoin de 50 000 euros.",
    "Usted también puede apoyar a los periodistas encarcelados: Reporteros sin Fronteras recoge firmas en su web.",
    "Support local journalism: that's the message of a new state tax credit for newspaper subscriptions.",
    "The Times invited subscribers to join the conversation about its redesign; more than 3,000 readers responded.",
    "Please support our work with refugees by donating today.",
    "Unterstützen Sie unsere Arbeit mit einer Spende an die Tafel Musterstadt.",
    "Make a one-off donation on the charity's website to help the flood victims.",
    "Sie können das Vorhaben unterstützen, indem Sie die Petition unterschreiben, die auf der Webseite steht.",
    "Support us on Patreon, the podcast host tells listeners at the end of every episode.",
    "Unterstützen Sie unabhängigen Journalismus, forderte der Verband.",
    "We need your photos of the storm for our live blog.",
    "We need your help to identify the man in the photo. Contact the newsroom.",
    "Gefällt Ihnen dieses Angebot?", "Did you enjoy this work?",
    "Support our troops! the crowd chanted outside the newspaper's office",
    "Help us keep our city clean – join the cleanup on Saturday, organised by the Zeitung's readers",
    "Support us by visiting our website, where you can book tickets for the festival.",
    "Phishing e-mails delivered to your inbox may look genuine.",
    "You're all set to enjoy the festival, the mayor told visitors on Saturday.",
    "Sort by colour before you recycle, the council asks residents.",
    "The video has 1,237 views and counting, its maker said.", "The report runs to 400 words.",
    "Der Vertrag ist jederzeit kündbar.", "Originally published in 1895, the novel sold poorly.",
    "Newsletter sind ein wichtiges Werkzeug der Parteien.",
    "The council pays 3 € per month for each resident, the mayor said.", "Das zeigt das Foto: ein Hund im Schnee.",
    "- Rate pro Monat: 643,45 Euro", "Read more Shakespeare, the teacher urged.", "See also Chapter 4 of the report.",
    "Police said the suspects got the latest news on WhatsApp groups run from abroad.",
    "Readers can opt out at any time, the company said.", "Written by a local teacher, the play opens on Friday.",
    # a long run of capitals after "by" (a hash, a code) is read at once, not tried name by name
    "2020 by " + "A" * 390 + "!",
    # a long word after a label whose few words are tried one way only (split every way, it took minutes)
    "Posted in " + "a" * 380 + " (x)", "More articles by " + "b" * 370 + " (x)", "Presented by " + "c" * 380 + " (x)",
]


@pytest.mark.parametrize("line", INTERFACE + INTERFACE_MORE)
def test_an_interface_block_is_recognised_on_its_own_words(line: str) -> None:
    assert is_interface_line(line)


@pytest.mark.parametrize("line", FORMS_AND_BUTTONS)
def test_what_forms_and_buttons_print_without_their_script_is_recognised(line: str) -> None:
    assert is_interface_line(line)


@pytest.mark.parametrize("line", SUPPORT_PITCHES)
def test_the_site_asking_its_readers_for_money_is_recognised(line: str) -> None:
    assert is_interface_line(line)


@pytest.mark.parametrize("line", ARTICLE)
def test_article_sentences_about_the_same_things_stay(line: str) -> None:
    assert not is_interface_line(line)
    assert clean_text(f"First paragraph of the story.\n{line}\nLast paragraph of the story.").splitlines()[1] == line


@pytest.mark.parametrize("line", ["Example News", "Example News Staff", "The Example News Team", "Example News Desk",
                                  "© Example News", "© 2024 Example News", "Example News Logo", "Logo Example News"])
def test_the_sites_name_alone_with_its_newsrooms_word_or_its_copyright_sign_goes(line: str) -> None:
    assert is_interface_line(line, site_name="Example News")


def test_where_the_page_declares_no_sites_name_the_titles_part_naming_its_host_is_the_name() -> None:
    story = "".join(f"<p>The council met on Monday {n} and spoke at length about the harbour, the budget and the plans "
                    f"for the new pier, which residents have long asked for.</p>" for n in range(6))
    page = (f"<html><head><title>Harbour plan approved | Example News</title></head><body><article>"
            f"<h1>Harbour plan approved</h1>{story}<p>Example News</p></article></body></html>").encode()

    text = extract_fields("https://news.example.com/2024/03/12/harbour", page, HTML, ExtractOptions())["text"]

    assert "Example News" not in text and "harbour" in text


@pytest.mark.parametrize("line", ["© Reuters", "Example News reported on Monday that the council had met.",
                                  "Example Newsroom"])
def test_another_copyright_and_a_sentence_naming_the_site_stay(line: str) -> None:
    assert not is_interface_line(line, site_name="Example News")


def test_a_risk_notice_running_on_for_a_paragraph_goes_whole() -> None:
    notice = ("Aktien, Immobilien und andere Investments sind grundsätzlich mit einem Risiko verbunden. Auch ein "
              "Totalverlust des eingesetzten Kapitals kann nicht ausgeschlossen werden. Ebenso können Kredite eine "
              "erhebliche finanzielle Belastung darstellen. Verbraucher sollten ihre finanzielle Situation sorgfältig "
              "prüfen und alle Kosten gründlich durchrechnen. Die veröffentlichten Artikel, Daten und Prognosen sind "
              "keine Aufforderung zum Kauf oder Verkauf von Wertpapieren oder Rechten und ersetzen keine fachliche Beratung.")
    assert len(notice) > 400
    assert clean_text(f"First paragraph of the story.\n{notice}\nLast paragraph of the story.").splitlines() == [
        "First paragraph of the story.", "Last paragraph of the story."]


def test_a_support_pitch_running_on_for_a_paragraph_goes_when_it_opens_it() -> None:
    perks = " Als Unterstützer bekommst du Zugang zu allen Inhalten, ohne Werbung und ohne Bezahlschranke." * 6
    pitch = "Gefällt dir unser Magazin? Wir verzichten auf eine Paywall, damit alle mitlesen können." + perks
    story = "Der Stadtrat hat am Montag den Haushalt beschlossen. Die Stadt unterstützt uns, sagt der Vereinschef." + perks
    assert len(pitch) > 400 and len(story) > 400
    assert clean_text(f"First paragraph of the story.\n{pitch}\nLast paragraph.") == "First paragraph of the story.\nLast paragraph."
    assert story in clean_text(f"First paragraph of the story.\n{story}\nLast paragraph.")


def test_a_question_opening_a_long_paragraph_of_news_is_no_pitch() -> None:
    story = ("Gefällt Ihnen dieser Entwurf? Die Stadt hat am Dienstag drei Varianten für die Neugestaltung des "
             "Marktplatzes vorgestellt. Die teuerste kostet 4,2 Millionen Euro, die günstigste knapp zwei Millionen. "
             "Bürgerinnen und Bürger können bis Ende des Monats online abstimmen, welche Variante ihnen am besten "
             "gefällt. Der Gemeinderat will das Ergebnis bei seiner Entscheidung im Herbst berücksichtigen, bindend ist "
             "es allerdings nicht. Kritik kommt von den Einzelhändlern, die Umsatzeinbußen befürchten.")
    assert len(story) > 400
    assert story in clean_text(f"First paragraph of the story.\n{story}\nLast paragraph.")


def test_a_related_heading_takes_its_list_of_headlines_along() -> None:
    text = clean_text("A paragraph.\nÄhnliche Artikel\n- Stadtrat beschließt Haushalt\n- Unwetter an der Küste\n"
                      "Another paragraph.")
    assert text == "A paragraph.\nAnother paragraph."
    text = clean_text("A paragraph.\nMore Must-Reads From Example\n- Harbour reopens\n- Is the storm over?\n"
                      "- Storm on the coast")
    assert text == "A paragraph."


def test_an_authors_bio_closing_the_article_goes() -> None:
    text = clean_text("The story.\nJane Doe is a reporter covering climate and energy for the Daily Example.",
                      authors=["Jane Doe"])
    assert text == "The story."


def test_a_bio_of_a_journalist_closing_the_article_goes_with_the_short_lines_after_it() -> None:
    story = "The story, told in a paragraph that is long enough to be a paragraph of the article itself."
    text = clean_text(f"{story}\nJohn Roe is a senior editor at the Daily Example, based in Washington. He began "
                      "writing news in 1981.\nOther headline of the site")
    assert text == story
    text = clean_text(f"{story}\nExample's Jane Doe is the author of a book on harbours.")
    assert text == story
    text = clean_text(f"{story}\nKorrespondent Ulrich Muster ist bei EXAMPLE für Landespolitik zuständig. "
                      "Seine Artikel finden Sie hier.")
    assert text == story


def test_the_authors_bio_box_goes_wherever_the_theme_put_it() -> None:
    story = ["The harbour reopened on Monday, officials said, after a week of storms that closed it to every ship "
             "bigger than a fishing boat and left the town's markets without fresh supplies for the first time.",
             "Ships queued outside the port for hours before the pilots were allowed back on board, and the first "
             "container vessel docked shortly after noon, to the applause of the dock workers who had waited on the pier "
             "since dawn."]
    for bio in ("Jane Doe is a senior editor at the Daily Example, based in Washington. She began writing news "
                "in 1981 and has covered six presidential campaigns since.",
                "Jane Doe covers city hall and transport for the Daily Example."):
        for at in (0, 1, 2):
            lines = [*story[:at], bio, *story[at:]]
            assert clean_text("\n".join(lines), authors=["Jane Doe"]).splitlines() == story


@pytest.mark.parametrize("box", [
    ["Jane Doe has written about urban transport for more than a decade. Her work has appeared in national outlets."],
    ["About Jane Doe: Jane writes about city politics, housing and the people who make the city run."],
    ["Jane is a reporter at the Ledger, where she covers transport, housing and city hall."],
    ["The author, Jane Doe, is a fellow at the Institute for Urban Studies."],
    ["Jane Doe @janedoe"],
    ["View all posts by Jane Doe"],
    ["Jane Doe", "Senior Reporter", "Jane covers transport and city hall."],
    # the box's links to the writer's page and mail, in the corpora's languages, and bios in Dutch and Polish
    ["Read more from Jane Doe"], ["Mehr von Jane Doe"], ["Meer van Jane Doe"], ["Więcej od Jane Doe"], ["Email Jane Doe"],
    ["About Jane Doe"], ["Jane Doe is redacteur bij de economieredactie."],
    ["Jane Doe jest dziennikarką działu gospodarczego."],
])
def test_more_kinds_of_bio_box_go_wherever_the_theme_put_them(box: list[str]) -> None:
    story = ["The harbour reopened on Monday, officials said, after a week of storms that closed it to every ship "
             "bigger than a fishing boat.", "Ships queued outside the port for hours before the pilots were allowed "
             "back on board, and the first container vessel docked shortly after noon.",
             "Jane Smith, a dock worker, said she had waited on the pier since dawn."]
    for at in (1, 3):
        lines = [*story[:at], *box, *story[at:]]
        assert clean_text("\n".join(lines), authors=["Jane Doe"]).splitlines() == story


@pytest.mark.parametrize("box", [
    ["Jane Doe", "Before joining the Ledger in 2019, she covered oil and gas for a trade magazine in Houston."],
    ["Jane Doe", "Journaliste au service économie, Jane Doe suit l'énergie et le climat depuis 2015."],
    ["Jane Doe", "Periodista especializada en energía. Antes trabajó en la radio pública."],
    ["Written by", "Jane Doe", "Senior Reporter · Since 2019"],
])
def test_the_writers_name_alone_heading_a_few_lines_closing_the_text_is_the_writers_box(box: list[str]) -> None:
    story = ["The harbour reopened on Monday, officials said, after a week of storms that closed it to every ship.",
             "Ships queued outside the port for hours before the pilots were allowed back on board."]
    assert clean_text("\n".join([*story, *box]), authors=["Jane Doe"]).splitlines() == story


def test_the_writers_name_alone_over_a_footnote_or_an_interviews_last_answer_stays() -> None:
    story = ["The harbour reopened on Monday, officials said, after a week of storms that closed it to every ship."]
    for tail in (["Jane Doe", "*The pilot's first name has been changed."],
                 ["Jane Doe", "And what comes next?", "John Roe", "We rebuild the pier."]):
        assert clean_text("\n".join([*story, *tail]), authors=["Jane Doe"]).splitlines()[1:] == tail


def test_a_sign_up_boxs_perks_listed_under_its_prompt_go_with_it() -> None:
    story = ["The harbour reopened on Monday, officials said, after a week of storms that closed it to every ship.",
             "The council listed what comes next:", "- The pier will be rebuilt by the autumn.",
             "- The fishing season opens in March."]
    box = ["Subscribe now to read the latest news in your city and across the country.",
           "- Exclusive articles from our local reporting team and others.", "- Unlimited access to the e-paper."]
    assert clean_text("\n".join([story[0], *box, *story[1:]])).splitlines() == story


def test_a_bar_of_the_posts_metadata_naming_the_writer_goes() -> None:
    story = ["Ships queued outside the port for hours before the pilots were allowed back on board."]
    for bar in ("Jane Doe · 14 March 2024 · 3 min read", "Jane Doe | Updated 14.03.2024"):
        assert clean_text("\n".join([bar, *story]), authors=["Jane Doe"]).splitlines() == story
    # a bar naming someone else, or the writer beside words of the story, stays
    for line in ("John Roe · 14 March 2024 · 3 min read", "Jane Doe - the harbour's first female pilot"):
        assert clean_text("\n".join([line, *story]), authors=["Jane Doe"]).splitlines() == [line, *story]


def test_the_writers_name_alone_under_the_headline_goes() -> None:
    story = ["Ships queued outside the port for hours before the pilots were allowed back on board."]
    text = clean_text("\n".join(["Harbour reopens", "Jane Doe", *story]), headlines=["Harbour reopens"],
                      authors=["Jane Doe"])
    assert text.splitlines() == story


def test_a_name_alone_that_heads_no_bio_stays() -> None:
    story = ["Gesellschaftliche Problemfelder", "Die Studie nennt drei Bereiche, in denen Daten erhoben werden, "
             "und beschreibt, wie die Stadt sie nutzen will."]
    assert clean_text("\n".join(["Der Rat hat am Montag entschieden, die Daten offenzulegen.", *story]),
                      authors=["Gesellschaftliche Problemfelder"]).splitlines()[1:] == story


def test_the_bio_box_takes_the_short_lines_under_it_at_the_end() -> None:
    story = "The harbour reopened on Monday, officials said, after a week of storms closed it to ships."
    text = clean_text(f"{story}\nJane Doe is the Example's deals curator.\nIf you buy through this post, "
                      "Example may get a share of the sale.", authors=["Jane Doe"])
    assert text == story


def test_a_sentence_about_the_author_that_is_no_bio_stays() -> None:
    # an author taken from the page may be the story's subject: only a bio that says they write goes
    lines = ["Jane Doe was born in Lisbon in 1950, the daughter of a sailor.", "The harbour reopened on Monday."]
    assert clean_text("\n".join(lines), authors=["Jane Doe"]).splitlines() == lines
    lines = ["The harbour reopened on Monday.", "Jane Doe was held for nine hours at the central station before the "
             "editor of the Daily Example secured her release.", "Ships queued outside the port for hours."]
    assert clean_text("\n".join(lines), authors=["Jane Doe"]).splitlines() == lines
    # and a person the record does not name as author is another story's subject
    lines = ["The harbour reopened on Monday.", "John Roe covers the port for the union's newsletter.",
             "Ships queued outside the port for hours."]
    assert clean_text("\n".join(lines), authors=["Jane Doe"]).splitlines() == lines


def test_a_closing_paragraph_that_ends_by_asking_to_follow_the_author_is_the_authors_box() -> None:
    story = "The harbour reopened on Monday, officials said."
    box = "Jane Doe's book about harbours is out now. Follow her on Twitter @janedoe."
    assert clean_text(f"{story}\n{box}") == story
    quote = "“Tell them to follow her on Instagram,” the mayor said."
    assert clean_text(f"{story}\n{quote}") == f"{story}\n{quote}"
    for closing in ("The final is on Sunday in Paris. Follow the match on X from 8pm.",
                    "The convoy will follow them on Xinjiang's border roads."):
        assert clean_text(f"{story}\n{closing}") == f"{story}\n{closing}"


def test_a_person_said_to_be_someone_in_the_middle_of_the_story_stays() -> None:
    lines = ["The story begins here.", "John Roe is a former editor who was arrested on Monday.",
             "The police said the investigation continues, and that a court will hear the case in the spring of "
             "next year at the earliest, when all the evidence has been gathered and the witnesses have been heard "
             "by the prosecutors."]
    assert clean_text("\n".join(lines)).splitlines() == lines


def test_an_agency_credited_as_author_is_no_bio() -> None:
    text = clean_text("The story.\nReuters was not able to independently verify the footage.", authors=["Reuters"])
    assert text.endswith("verify the footage.")


def test_the_headline_repeated_behind_or_under_its_kicker_goes() -> None:
    headline = "Chiesa calls for political resistance against the asylum policy"
    for top in ([f"Migration policy{headline}"], [f"Migration policy: {headline}"],
                [f'Alleged "decolonisation" :{headline}'], ["Review", headline], ["FAQ", f"Trade with Tehran:{headline}"],
                [f"27.01.2022{headline}"]):
        text = clean_text("\n".join([*top, "The story."]), headlines=[headline])
        assert text == "The story."


def test_a_sentence_ending_like_the_headline_stays() -> None:
    headline = "The harbour reopens"  # too short to tell a kicker from a sentence
    lines = ["After a week of storms, the harbour reopens", "The story."]
    assert clean_text("\n".join(lines), headlines=[headline]).splitlines() == lines
    # a lede quoting the headline, a lede ending with its words
    for lede, headline in (
            ('The mayor told residents on Monday: "We will rebuild the harbour before winter."',
             '"We will rebuild the harbour before winter"'),
            ("After four days of waiting, Biden wins the presidency after a long count",
             "Biden wins the presidency after a long count")):
        assert clean_text(f"{lede}\nThe story.", headlines=[headline]).splitlines() == [lede, "The story."]
    # a Chinese wire story's first line holds the headline after its dateline, and is the story's
    line = "新华社北京4月24日电 题：促进航天技术更好惠及人民――习近平主席向首届论坛致贺信为中拉深化航天合作指明方向"
    headline = "促进航天技术更好惠及人民――习近平主席向首届论坛致贺信为中拉深化航天合作指明方向"
    assert clean_text(f"{line}\n正文。", headlines=[headline]).splitlines() == [line, "正文。"]


def test_the_writers_initials_or_the_desks_editor_closing_the_story_go_and_brackets_elsewhere_stay() -> None:
    story = "The harbour reopened on Monday, officials said."
    for initials in ("(dmk)", "(dpa/afp)", "(NTB)", "kmk/PAP", "ab/ cd/ PAP", "SDA/sep", "dpa/lnw", "(Editor: Lisa Zhou)",
                     "(Edited by Lisa Zhou)"):
        assert clean_text(f"{story}\n{initials}") == story
    assert clean_text(f"{story}\nEditor in chief of the paper resigns") == f"{story}\nEditor in chief of the paper resigns"
    lines = ["(AP)", story, "(iii)", "The second point of the plan is the new pier."]
    assert clean_text("\n".join(lines)).splitlines() == lines


def test_the_breadcrumb_trail_over_the_headline_goes() -> None:
    headline = "Police catch two suspects within two days of the theft"
    text = clean_text(f"- News\n- Local\n- Bihar\n{headline}\nThe story.", headlines=[headline])
    assert text == "The story."
    # a list opening the story, with no headline under it, is the story's
    lines = ["- Eggs", "- Flour", "Mix them well."]
    assert clean_text("\n".join(lines), headlines=[headline]).splitlines() == lines


def test_the_posts_tags_go_under_their_label_as_a_list_or_run_together() -> None:
    story = "The calendar of the season was published on Monday."
    for tags in ("Tags\ncalendar 2018, stock car brasil, interlagos, velopark,",
                 "- Etiketler :\n- Haberler -\n- Spor\n- Futbol"):
        assert clean_text(f"{story}\n{tags}") == story
    # a sentence listing things with commas stays where no label is over it
    lines = [story, "Races are held in Interlagos, Curitiba, Londrina and Cascavel"]
    assert clean_text("\n".join(lines)).splitlines() == lines


def test_the_headline_repeated_as_the_first_paragraph_goes_whichever_version_of_it() -> None:
    text = clean_text("Want to help a friend after a breakup?\nThe story.",
                      headlines=["How to help a friend with a bad breakup", "Want to help a friend after a breakup?"])
    assert text == "The story."


def _seed() -> tuple[str, list[str]]:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (the shared test data lives next to the repository)")
    blocks = [b.strip() for b in SEED.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    return blocks[0], [b for b in blocks[1:] if len(b) > 200]


# boxes as themes build them, with headings, forms and buttons, under class names that say nothing
BOXES = [
    "<div class='nb'><h3>Get the Morning Brief</h3><p>Sign up for the Morning Brief: the top stories in your inbox "
    "every weekday.</p><form><input placeholder='Your email'><button>Sign up</button></form><p>By signing up you agree "
    "to our Terms and Privacy Policy.</p></div>",
    "<div class='nb'><h3>Newsletter</h3><p>Die wichtigsten Nachrichten des Tages jeden Morgen in Ihrem Postfach.</p>"
    "<form><input placeholder='E-Mail-Adresse'><button>Jetzt abonnieren</button></form></div>",
    "<div class='pw'><h3>Subscribe to continue reading</h3><p>Get unlimited access to Example News for just $1 a week."
    "</p><a href='/subscribe'>Subscribe now</a><p>Already a subscriber? <a href='/login'>Log in</a></p></div>",
    "<div class='cf'><h3>Leave a Reply</h3><p>Your email address will not be published. Required fields are marked *"
    "</p><form><p><label>Comment *</label><textarea></textarea></p><p><label>Name *</label><input></p><p><input "
    "type=checkbox> Save my name, email, and website in this browser for the next time I comment.</p><p><input "
    "type=submit value='Post Comment'></p></form></div>",
    "<div class='ab'><h4>Jane Doe</h4><p>Jane Doe ist Redakteurin im Lokalressort und schreibt über Verkehr und "
    "Stadtpolitik.</p><p><a href='mailto:jane@example.com'>Mehr von Jane Doe</a></p></div>",
]


@pytest.mark.parametrize("box", BOXES)
def test_boxes_with_their_headings_and_forms_never_reach_the_text(box: str) -> None:
    title, paragraphs = _seed()
    middle = len(paragraphs) // 2
    for body in (paragraphs[:middle], paragraphs[middle:]), (paragraphs, []):
        story = "".join(f"<p>{escape(p)}</p>" for p in body[0]) + box + "".join(f"<p>{escape(p)}</p>" for p in body[1])
        page = (f"<html><head><title>{escape(title)} | Example News</title></head><body><article><h1>{escape(title)}"
                f"</h1><p class='b'>By Jane Doe</p>{story}</article></body></html>")

        fields = extract_fields("https://news.example.com/world/story/", page.encode(), HTML, ExtractOptions())

        assert fields["text"].split("\n") == paragraphs


@pytest.mark.parametrize("wrap", ["<div class='x7f'>{}</div>", "<p>{}</p>", "<section class='blk'><span>{}</span></section>"])
def test_blocks_inside_the_article_under_neutral_markup_never_reach_the_text(wrap: str) -> None:
    title, paragraphs = _seed()
    middle = len(paragraphs) // 2
    blocks = "".join(wrap.format(escape(b)) for b in INTERFACE)
    related = ("<div class='c-2'><p>Related articles</p><ul>"
               + "".join(f"<li><a href='/news/story-{i}'>Other headline number {i}</a></li>" for i in range(3))
               + "</ul></div>")
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:middle]) + blocks + related + "".join(
        f"<p>{escape(p)}</p>" for p in paragraphs[middle:]) + blocks
    page = (f"<html lang='en'><head><title>{escape(title)} | The Caspian Post</title>"
            f"<meta property='og:site_name' content='The Caspian Post'></head>"
            f"<body><article><h1>{escape(title)}</h1>{body}</article></body></html>")

    fields = extract_fields("https://caspianpost.example/world/story/", page.encode(), HTML, ExtractOptions())

    assert fields["text"].split("\n") == paragraphs
    assert fields["title"] == title


def test_a_list_of_kicker_and_link_items_is_a_list_of_other_stories() -> None:
    items = "".join(f"<li><strong>Topic {i}:</strong> <a href='/world/story-{i}/'>Another story, number {i}</a></li>"
                    for i in range(3))
    tree = lxml.html.document_fromstring(f"<html><body><article><ul>{items}</ul></article></body></html>")
    assert story_lists(tree, SitePaths("https://caspianpost.example/world/story/")).items == {
        f"topic {i}: another story, number {i}" for i in range(3)}
    kickers = ["Ferries in winter?", "Crónica", "Politik:"]
    items = "".join(f"<li><span>{k}</span> <a href='/world/story-{i}/'>Another story, number {i}</a></li>"
                    for i, k in enumerate(kickers))
    tree = lxml.html.document_fromstring(f"<html><body><article><ul>{items}</ul></article></body></html>")
    assert len(story_lists(tree, SitePaths("https://caspianpost.example/world/story/")).items) == 3
    sentences = "".join(f"<li>The mayor said so. <a href='/world/story-{i}/'>Another story, number {i}</a></li>"
                        for i in range(3))
    tree = lxml.html.document_fromstring(f"<html><body><article><ul>{sentences}</ul></article></body></html>")
    assert story_lists(tree, SitePaths("https://caspianpost.example/world/story/")).items == set()


def test_the_heading_boxed_with_a_list_of_other_stories_goes_with_it() -> None:
    title, paragraphs = _seed()
    items = "".join(f"<li><a href='/world/story-{i}/'>Another story, number {i}</a></li>" for i in range(3))
    box = f"<div><h3>Exclusive background, researched for you</h3><ul>{items}</ul></div>"
    # a section's heading over a list and then the section's paragraph is the article's
    section = f"<h3>Why it matters</h3><ul>{items}</ul><p>{escape(paragraphs[2])}</p>"
    body = f"<p>{escape(paragraphs[0])}</p>{box}<h3>Why it matters</h3><p>{escape(paragraphs[1])}</p>{section}"
    page = (f"<html lang='en'><head><title>{escape(title)}</title></head>"
            f"<body><article><h1>{escape(title)}</h1>{body}</article></body></html>")

    text = extract_fields("https://caspianpost.example/world/story/", page.encode(), HTML, ExtractOptions())["text"]

    assert "Exclusive background, researched for you" not in text
    # the same words elsewhere stay
    assert text.count("Why it matters") == 2
    # a lead-in closing with its colon is the article's, and so is a sentence ending in a quotation
    for lead_in in ("Read the press releases on the matter:", "He called the deal “a betrayal”"):
        tree = lxml.html.document_fromstring(f"<html><body><article><div><p>{lead_in}</p><ul>{items}</ul></div>"
                                             "</article></body></html>")
        assert story_lists(tree, SitePaths("https://caspianpost.example/world/story/")).headings == {}


def test_a_list_whose_unlinked_item_reads_as_news_is_no_list_of_other_stories() -> None:
    items = ("<li><a href='/kita/'>Kita-Gebühren steigen ab Januar um zehn Prozent</a></li>"
             "<li>Werbung für Süßigkeiten an Kinder wird verboten</li>"
             "<li><a href='/schule/'>Schulen bekommen mehr Geld für die Digitalisierung</a></li>")
    tree = lxml.html.document_fromstring(f"<html><body><article><ul>{items}</ul></article></body></html>")
    assert story_lists(tree, SitePaths("https://caspianpost.example/world/story/")).items == set()


def test_two_linked_headlines_are_a_list_of_other_stories_two_short_links_are_not() -> None:
    ad = "<li>Advertisement 1<script>loadAd()</script>Story continues below</li>"
    headlines = ("<ol><li><a href='/news/jobs/'><img src='/j.jpg'>Unemployment rate drops as the economy gains jobs</a></li>"
                 f"{ad}<li><a href='/opinion/hiring/'>Keep out of the coffee chain's hiring choices</a></li></ol>")
    short = "<ul><li><a href='/news/jobs/'>Jobs report</a></li><li><a href='/news/rates/'>Rates</a></li></ul>"
    tree = lxml.html.document_fromstring(f"<html><body><article>{headlines}{short}</article></body></html>")
    assert story_lists(tree, SitePaths("https://caspianpost.example/world/story/")).items == {
        "unemployment rate drops as the economy gains jobs", "keep out of the coffee chain's hiring choices"}


def test_a_list_of_teaser_cards_is_a_list_of_other_stories_a_list_of_people_is_not() -> None:
    cards = "".join(f"<li><a href='/news/story-{i}/'><img src='/i/{i}.jpg'></a><h3><a href='/news/story-{i}/'>"
                    f"Another story, number {i}</a></h3>\n<h4>What happened there, told in a line of its own</h4></li>"
                    for i in range(3))
    people = "".join(f"<li><a href='/people/{i}/'>Jane Doe{i}</a>, the mayor, said the harbour would reopen soon</li>"
                     for i in range(3))
    tree = lxml.html.document_fromstring(f"<html><body><article><ul>{cards}</ul><ul>{people}</ul></article></body></html>")
    assert story_lists(tree, SitePaths("https://caspianpost.example/world/story/")).items == {
        f"another story, number {i} what happened there, told in a line of its own" for i in range(3)}


def test_lists_of_links_to_the_sites_other_stories_are_told_from_lists_of_sources_and_facts() -> None:
    stories = "<ul>" + "".join(f"<li><a href='/world/story-{i}/'>Another story, number {i}</a></li>"
                               for i in range(4)) + "</ul>"
    sources = "<ul>" + "".join(f"<li><a href='https://source{i}.example.org/report'>Source report {i}</a></li>"
                               for i in range(3)) + "</ul>"
    facts = "<ul>" + "".join(f"<li>Fact {i} of the story, with <a href='/world/fact-{i}/'>a link</a> inside</li>"
                             for i in range(3)) + "</ul>"
    tree = lxml.html.document_fromstring(f"<html><body><article>{stories}{sources}{facts}</article></body></html>")

    assert story_lists(tree, SitePaths("https://caspianpost.example/world/story/")).items == {
        f"another story, number {i}" for i in range(4)}
    assert clean_text("The story.\n- Another story, number 1\n- Source report 1",
                      story_links={"another story, number 1"}) == "The story.\n- Source report 1"


def test_a_paragraph_that_is_one_link_to_another_story_of_the_site_is_a_teaser() -> None:
    page = ("<html><body><article><p>The harbour reopened on Monday, <a href='/world/harbour/'>officials said "
            "in a statement</a> to reporters.</p>"
            "<p><strong><a href='/politics/senate-passes-bill/'>SENATE PASSES HARBOUR BILL</a></strong></p>"
            "<h3><a href='https://www.caspianpost.example/world/ferry/'>Ferries return to the port</a></h3>"
            "<p>Lesetipp: <a href='/kultur/festival/'>Das Hafenfest kehrt zurück</a></p>"
            "<p>Take a look at this, if you have not seen it yet: <a href='/world/old/'>An older story here</a></p>"
            "<p><a href='https://source.example.org/report'>The agency's full report</a></p>"
            "<p><a href='/world/story/'>This very story again</a></p></article></body></html>")
    tree = lxml.html.document_fromstring(page)
    assert linked_teaser_texts(tree, SitePaths("https://caspianpost.example/world/story/")) == {
        "senate passes harbour bill", "ferries return to the port", "lesetipp: das hafenfest kehrt zurück"}
    assert clean_text("The story.\nSENATE PASSES HARBOUR BILL\nThe end of the story.",
                      teasers={"senate passes harbour bill"}) == "The story.\nThe end of the story."


OTHER_STORIES = ["Mayor resigns after budget row deepens", "Police arrest two men over city centre fire",
                 "New bridge to open in spring, says council"]


@pytest.mark.parametrize("block", [
    # a list of other stories written as paragraphs, each a dash and a link
    "".join(f"<p>- <a href='/news/story-{i}'>{h}</a></p>" for i, h in enumerate(OTHER_STORIES)),
    # ... or as the lines of one paragraph, the links and nothing else between them
    "<p>" + "<br><br>-".join(f"<a href='/news/story-{i}'>{h}</a>" for i, h in enumerate(OTHER_STORIES)) + "</p>",
    # ... or behind a label in capitals with no mark after it
    "".join(f"<p><strong>READ MORE</strong> <a href='/news/story-{i}'>{h}</a></p>" for i, h in enumerate(OTHER_STORIES)),
    # a list of cards, each set as one link holding the headline and the dek
    "<ul>" + "".join(f"<li><a href='/news/story-{i}'><h3>{h}</h3><p>The council has said it will look again at "
                     f"the plans next week.</p></a></li>" for i, h in enumerate(OTHER_STORIES)) + "</ul>",
])
def test_links_to_other_stories_set_as_lines_of_the_article_never_reach_the_text(block: str) -> None:
    story = [f"Paragraph {n} of the story tells what the council decided late in the evening about the tram "
             f"line and the budget." for n in range(6)]
    body = "".join(f"<p>{p}</p>" for p in story[:3]) + block + "".join(f"<p>{p}</p>" for p in story[3:])
    page = (f"<html><head><title>Council decides | Example News</title></head><body><article>"
            f"<h1>Council decides</h1>{body}</article></body></html>").encode()

    text = extract_fields("https://news.example/2024/03/council", page, HTML, ExtractOptions())["text"]

    assert text.split("\n") == story


def test_a_paragraph_linking_sources_or_its_own_parts_is_the_articles() -> None:
    page = ("<html><body><article>"
            "<p><a href='https://agency.example.org/report-2024'>The agency's annual report</a><br>"
            "<a href='https://court.example.org/ruling-1234'>The court's ruling in full</a></p>"
            "<p><a href='/2024/03/council/part-2'>Part two of the council story</a><br>"
            "<a href='/2024/03/council/part-3'>Part three of the council story</a></p>"
            "<p>The mayor <a href='/news/mayor-profile'>who resigned last week after a long row</a> and "
            "<a href='/news/deputy-profile'>her deputy of many years</a> said nothing.</p>"
            "<p>In der Stadt <a href='/news/old-town'>gibt es eine neue Brücke über den Fluss</a></p>"
            "</article></body></html>")
    tree = lxml.html.document_fromstring(page)

    assert linked_teaser_texts(tree, SitePaths("https://news.example/2024/03/council")) == set()


def test_short_figure_captions_and_their_credits_are_told_from_the_article_by_their_markup() -> None:
    item = "What you need: " + "a bowler hat, false lashes and an all-white outfit, " * 4
    page = ("<html><body><article><p>The harbour reopened.</p><figure><img src='/a.jpg'><figcaption>"
            "<span>The ferry leaves the port on Monday</span> <span>Фото: Jane Doe</span></figcaption></figure>"
            f"<figure><img src='/b.jpg'><figcaption>{item}</figcaption></figure></article></body></html>")
    assert caption_texts(lxml.html.document_fromstring(page)) == {
        "the ferry leaves the port on monday фото: jane doe", "the ferry leaves the port on monday", "фото: jane doe"}


def test_the_hint_a_link_gives_screen_readers_leaves_the_sentence() -> None:
    assert clean_text("Die Firma versprach ihren Investoren(öffnet im neuen Fenster) , zu denen die Stadt gehört, viel."
                      ) == "Die Firma versprach ihren Investoren , zu denen die Stadt gehört, viel."
    assert clean_text("Read the report (opens in a new tab) on the site.") == "Read the report on the site."
    assert clean_text("The shop opens (in a new window display) on Monday.") == (
        "The shop opens (in a new window display) on Monday.")
    assert clean_text("Ein Roboter (öffnet das Fenster) automatisch.") == "Ein Roboter (öffnet das Fenster) automatisch."


def test_the_share_label_run_into_a_pull_quote_leaves_the_quote() -> None:
    quote = "Every online business exists in the 'space-time continuum.'"
    assert clean_text(f"First paragraph of the story.\n{quote}Click To Tweet\nLast paragraph.").splitlines()[1] == quote
    for sentence in ("He told his followers to tweet this", "The question was whether to click to tweet"):
        assert clean_text(f"First paragraph of the story.\n{sentence}\nLast paragraph.").splitlines()[1] == sentence


def test_a_caption_repeating_a_paragraph_of_the_story_leaves_the_paragraph_in_the_text() -> None:
    lead = "Färjan till ön ställdes in i tisdags efter stormen."
    page = (f"<html><body><article><p>{lead}</p><p>Rederiet väntar på nya besked från kustbevakningen.</p><figure>"
            f"<img src='/b.jpg'><figcaption>{lead}</figcaption></figure></article></body></html>")
    assert caption_texts(lxml.html.document_fromstring(page)) == set()


def test_the_byline_printed_as_a_paragraph_of_its_own_is_not_body_text() -> None:
    story = "The story, told in a paragraph."
    assert clean_text(f"{story}\nLê Phương", authors=["Lê Phương"]) == story
    assert clean_text(f"Mohloai Mpesi\n{story}", authors=["Mohloai Mpesi"]) == story


def test_a_line_closing_a_german_quotation_ends_a_sentence() -> None:
    line = "„Ich weiß, ich bin müde und sollte das vielleicht nicht sagen, aber es muss gesagt werden…“"
    assert prose_chars(line) == len(line)


@pytest.mark.parametrize("box", [
    "Kontakt:\nDr. Jane Doe\nExample-Institut für Meteorologie",
    "Pressekontakt\nDr. Jane Doe\nPressesprecherin Example AG\nTel.: 0211 123 456\njane.doe@example.de",
    "Ansprechpartner Presse bei Example SE\nJane Doe\nTelefon: +49 40 123 456",
    "Media contact:\nJane Doe, Example Corp.\n+1 555 123 4567",
])
def test_a_press_contact_box_closing_the_text_goes(box: str) -> None:
    story = "The institute published its findings on Monday, and the council will discuss them next month."
    assert clean_text(f"{story}\n{box}") == story


def test_a_contact_label_in_the_story_or_before_a_paragraph_stays() -> None:
    story = "The institute published its findings on Monday, and the council will discuss them next month."
    paragraph = ("Kontakt: Wer Fragen zum Hochwasser hat, erreicht das Bürgertelefon der Stadt werktags von acht bis "
                 "achtzehn Uhr unter der bekannten Nummer, teilte die Verwaltung mit, und auch am Wochenende.")
    assert clean_text(f"{story}\n{paragraph}") == f"{story}\n{paragraph}"
    text = f"{story}\nKontakt\n{paragraph}"
    assert clean_text(text) == text


def test_an_advertisement_spelled_in_two_alphabets_goes() -> None:
    story = "The institute published its findings on Monday, and the council will discuss them next month."
    ad = ("Аdvеrtіѕе wіth thе most visited news site in Веlіzе ~ Wе оffеr fullу сuѕtоmіzаblе аnd flехіblе dіgіtаl "
          "mаrkеtіng расkаgеѕ. Yоur соntеnt іѕ dеlіvеrеd іnѕtаntlу tо thоuѕаndѕ оf uѕеrѕ іn Веlіzе аnd аbrоаd!")
    russian = "IT-компания Яндекс открыла офис в Berlin и наняла сорок сотрудников, сообщила компания в понедельник."
    assert clean_text(f"{story}\n{ad}\n{russian}") == f"{story}\n{russian}"
