//! The phrase tables (English, German, French, Spanish) read by `super::rules`.
//!
//! Each non-comment line is `name weight scope regex` (scope: `A` subject+body, `S` subject,
//! `B` body, `F` sender), `veto regex|@shared` (a matching sentence gives the group no evidence),
//! or `unless regex|@shared` (exception to the veto above it). Text is lowercased, apostrophes
//! are `'`, dashes `-`, and "let me know if" reads "let me know whether". A rule counts once per
//! email at its weight; a label is "strong" at a total of 1.0.

/// Patterns used as vetoes by several groups.
pub(super) const SHARED: &[(&str, &str)] = &[
    // A condition on fit or outcome, or a description of the future process: not a decision,
    // not an invitation ("if your profile matches, we'll invite you to a call").
    (
        "conditional",
        r"\bif\b[^,.;]{0,60}\b(?:match|fit|suitable|selected|shortlisted|successful|progress|move forward|moving forward|qualif|not\b|don't|do not|no\b|decide|align|meet|interested in (?:moving|taking))|\bif not\b|\bif (?:there(?:'s| is)|we (?:think|feel|decide|see|believe))\b|\bunless\b|\bshould (?:you|your|there|we)\b[^,.]{0,40}(?:match|fit|selected|successful|suitable|qualif|progress)|\bonce (?:we(?:'ve| have)?|the team has|our team has) (?:review|assess|evaluat|receiv|had a chance|looked|gone through|collected)|\bonce (?:we|i) (?:have|get|receive|hear)\b|\bwhether (?:to|we(?:'d| would)? (?:like to )?(?:invite|proceed|move))\b|\bbefore (?:we|i) (?:can )?(?:schedule|invite|arrange|book|set up|move)|\bdecide (?:on|whether|about) (?:next steps|the next step)|\bshortlisted (?:candidates|applicants)|\b(?:successful|unsuccessful|selected|suitable) (?:candidates|applicants)\b|\bwill (?:only )?be (?:invited|contacted)|\bonly [^.]{0,40}(?:contacted|invited|hear back)|\bour (?:hiring |interview |recruitment |selection |application )?process (?:consists|includes|involves|typically|usually|will include|is made up)|\b(?:typically|usually|normally)\b|\bfalls\b|\bsofern\b|\bwenn\b[^,.]{0,60}(?:passt|passen|entspricht|überzeug|ausgewählt|interessant)|\bnur [^.]{0,40}(?:kandidat|bewerber)|\bseul(?:e)?s? les\b|\bsi (?:votre|vous|ton|ta|tu|su|tu)\b[^,.]{0,60}(?:correspond|retenu|sélectionn|encaja|ajusta|seleccionad)|\bdans le cas\b|\ben caso de\b|\bs[oó]lo (?:los|las|se)\b",
    ),
    // A negated sentence does not invite or offer.
    (
        "negation",
        r"\bnot\b|n't\b|\bunable\b|\bcannot\b|\bno longer\b|\bdecided against\b|\bnicht\b|\bkein(?:e|en)?\b|\bne\b|\bpas\b|\bno (?:podemos|hemos|vamos|continuar|seguir|ha\b|has\b)",
    ),
    // Negated courtesy phrases that negate nothing.
    (
        "courtesy",
        r"\b(?:don't|do not) (?:hesitate|worry|forget|need to prepare)|\bcan't wait\b|\bno need\b|\bnicht zögern|\bzögern sie nicht|\bzögere nicht|\bn'hésite[sz]? pas|\bne pas hésiter",
    ),
    // Cancelling a step (unless it is rebooked).
    ("cancel", r"\bcancel|\bcall(?:ed|ing)? off\b|\babsag|\bannul|\bcancelar|\banular"),
    (
        "rebook",
        r"\breschedul|\brebook|\bnew (?:time|date|slot)|\banother (?:time|date|slot)|\balternative (?:time|date)|\bneuen termin|\bautre créneau|\bnueva fecha",
    ),
    // The step already happened.
    (
        "past_step",
        r"(?:\bthank(?:s| you)(?: again| so much)? for|\bafter|\bfollowing|\benjoyed|\bsince|\bfrom)\s(?:(?:your|the|our|taking|the time to|today's|yesterday's|last week's|coming in for|attending|meeting|speaking|talking|time to|time|in|with|us|submitting|completing|doing|sending)\s)*(?:[\w-]+[- ])?(?:interview|call|chat|conversation|onsite|on-site|visit|panel|meeting|session|assessment|trial|debrief|challenge|exercise|test|task|assignment|take-home|case study)s?\b|\binterview(?:ed|s)? (?:went|with us last|last week|yesterday|earlier)|\bwent well\b|\binterviewed with\b|\brecently interviewed|\bafter interviewing|\b(?:did not|didn't|have not|haven't) (?:complete|attend|show)|\bnot completed\b|\bfinished (?:interviews|the)",
    ),
    ("paused", r"\bon hold\b|\bpaus|\bfreeze\b|\bauf eis\b|\ben pause\b|\bsuspend"),
    (
        "not_a_step",
        r"\bfeedback\b|\breferees?\b|\breferences?\b|\bsurvey\b|\bumfrage|\bencuesta|\benquête|\brate your|\bhow was your|\bexperience with our",
    ),
    // Optional asks are not info requests.
    (
        "optional",
        r"\boptional|\bvoluntar|\bfreiwillig|\bfacultati|\bfeel free\b|\bsurvey\b|\bumfrage|\bencuesta|\benquête|\bif you have (?:any )?questions|\bhesitate\b|\bno action (?:is )?(?:needed|required)|\breschedul|\bunsubscrib|\bcan (?:also )?(?:check|track|view|follow)|\bdo not reply|\bdon't reply",
    ),
];

pub(super) const OFFER: &str = r#"
pleased_to_offer 1.2 A \b(?:pleased|delighted|happy|thrilled|excited|glad|proud|honou?red) to (?:extend|offer|confirm (?:our|your|the) offer|make you an offer|share your offer|present (?:you )?(?:with )?(?:an|your|our) offer)
extend_offer 1.2 A \bextend(?:ing)? (?:to you |you )?(?:an?|our|the) (?:[\w-]+ )?offer\b
offer_you 1.2 A \bto offer you (?:the|a|an|this|our|your|employment|a place|a position|the role|the job)\b|\boffer(?:ing)? you (?:the|a|an) (?:[\w&/()-]+ ){0,6}(?:position|role|job|post|contract|place|internship|placement|opportunity)\b
make_offer 1.2 A \bmake you (?:an?|our|a formal|a verbal) (?:[\w-]+ )?offer\b
join_as 1.0 A \b(?:love|like|want|invite|inviting) (?:for )?you to join (?:[\w&.'-]+ ){0,5}(?:as|in the role)\b
offer_letter 1.0 A \boffer (?:letter|of employment|pack|package|paperwork)\b|\bletter of offer|\bemployment offer|\boffer details\b|\b(?:employment|offer) agreement\b
job_offer 0.6 A \bjob offer\b
offer_terms 1.0 A \b(?:accept|sign|review|decline)(?: and sign)? (?:the|this|your|our) (?:[\w-]+ )?offer\b|\boffer (?:is|will be|remains) (?:valid|open|contingent|conditional|subject)|\boffer\b[^.]{0,40}\b(?:expires|valid until|deadline)\b|\byour offer (?:for|to join|as)\b|\b(?:revise|revised|updated|improved|final) (?:our |your |the )?offer\b|\bconditional offer|\boffer (?:to join|for the role|for the position)|\bconfirm (?:our|your) offer|\boffer is (?:ready|available|waiting)|\b(?:move forward|moving forward|proceed|prepare|preparing|put together|putting together|working on|draw up|drawing up) (?:with )?(?:an|your|the|a formal) offer\b
conditional_terms 0.6 B \bcontingent (?:up)?on\b|\bsubject to (?:a |the )?(?:satisfactory|successful|receipt)
discuss_offer 1.0 A \b(?:discuss|talk (?:through|about)|go (?:through|over)|walk you through) (?:an|the|your|our) (?:[\w-]+ )?offer\b
want_to_hire 1.0 A \b(?:like|want|love|decided|going) to (?:hire you|engage you|appoint you|bring you on)|\bengage you at\b|\b(?:approved|accepted) you for\b|\b(?:you(?:'ve| have) )?got the (?:job|role|position)\b|\bwe(?:'d| would) love to have you\b|\bwelcome you (?:to|as|aboard)\b|\bwant you (?:for|on) the\b
successful 0.6 A \byou(?:'ve| have) been successful[.!,]|\byour application (?:was|has been) successful\b
generic_offer 0.5 B \b(?:your|our|this|formal|written|verbal|official|full|updated) offer\b
subject_offer 0.6 S \boffer\b|\bcontract\b|\bangebot\b|\bzusage\b|\boferta\b|\bproposition d'embauche|\bvertragsangebot
comp_terms 0.4 B \b(?:base|starting|annual|gross) (?:salary|pay|rate)\b|\bsalary:|\bsalary will be|\bsign(?:ing|-on) bonus|\bstock options\b|\bshare options\b|\brsus?\b|\bequity:|\bper (?:hour|annum)\b|/hour\b|/day\b|\bbruttojahresgehalt|\bsalario bruto|\bsalaire (?:annuel|brut)|\bstart date:|\bthe base to\b
contract_attached 0.6 B \bcontract (?:is )?(?:attached|enclosed)|\b(?:attached|enclosed|find) (?:is |are )?(?:your |the |two copies of (?:your|the) )?(?:[\w-]+ )?contract|\bsign (?:the|your) contract|\bcontract (?:through|over|to you)|\bstatement of (?:terms|particulars)|\bupdated letter|\bwritten offer|\barbeitsvertrag|\bvertragsentwurf|\bcontrat de travail|\bcontrato de trabajo
congrats 0.4 B \bcongratulations[!,.]|\bcongrats[!,.]|\bherzlichen glückwunsch|\bfélicitations|\benhorabuena|\bfelicidades
good_news 0.3 B \b(?:good|great|fantastic|exciting) news\b|\btolle neuigkeiten|\bbonne nouvelle|\bbuenas noticias
welcome_team 0.3 A \bwelcome (?:\(?(?:nearly|almost)\)? )?(?:to the team|aboard)|\bwelcome \(?(?:nearly|almost)\)? to
de_anbieten 1.2 A \b(?:ihnen|dir|euch)\b[^.]{0,80}\banbieten\b|\banbieten zu (?:können|dürfen)|\b(?:ihnen|dir) ein (?:vertrags|job)?angebot
de_einstellen 1.2 A \b(?:möchten|würden|wollen)\b[^.]{0,40}\b(?:dich|sie)\b[^.]{0,60}\beinstellen\b|\ban bord holen|\bzusage für|\b(?:ihnen|dir) (?:eine|die) zusage
de_vertrag 0.8 A \bvertragsangebot|\bunser angebot\b|\bjobangebot für (?:dich|sie)\b
fr_offer 1.2 A \b(?:vous|te) (?:proposer|offrir) (?:le|un|ce) (?:poste|contrat|cdi|cdd|stage)|\bproposition (?:d'embauche|de contrat)|\bpromesse (?:d'embauche|unilatérale)|\blettre d'offre|\bavons le plaisir de vous (?:proposer|offrir|confirmer votre embauche)|\bretenue? pour (?:le|ce) poste|\bvotre embauche|\b(?:vous|te) faire une offre
es_offer 1.2 A \b(?:ofrecerte|ofrecerle|ofrecerles|te ofrecemos|le ofrecemos) (?:el|un|una|la) (?:puesto|plaza|posición|contrato|trabajo|empleo)|\bnos complace ofrecer|\bcarta de oferta|\bpropuesta (?:de contratación|económica|formal)|\boferta (?:formal|de contratación)\b|\bhas sido seleccionad[oa] para (?:el|la) (?:puesto|posición|plaza)|\bqueremos que te unas|\bnos gustaría que te unieras|\bqueremos contar contigo|\bhacer(?:te|le) una oferta|\bpresentar(?:te|le) una oferta
# An offer to someone else, marketing ("what we offer"), a competing offer, a negated offer.
veto \b(?:another|other|a different|an external|an internal|the other) (?:candidate|applicant|person)|\b(?:not|never)(?: be)? (?:[\w-]+ ){0,2}offer|n't (?:be )?(?:[\w-]+ ){0,2}offer|\bsomeone (?:else|local|internal|who|with)|\b(?:unable|not able|cannot|can't|won't|will not|not in a position) to\b|\bwhat we offer|\bwe (?:also )?offer (?:a |an )?(?:competitive|great|flexible|excellent|attractive|generous|benefits|perks|remote|hybrid|\d)|\bwe offer:|\boffers? (?:a |an )?(?:competitive|great|flexible|excellent|attractive)|\bcompeting offer|\banother offer|\bother offers?\b|\boffer elsewhere|\bcounter-?offers?|\bif you (?:receive|get|have|accept) (?:an?|another|other)|\boffer acceptance|\bunfortunat|\bleider\b|\bmalheureusement|\blamentablemente|\bregret|\bwas wir (?:dir|ihnen) bieten|\bwir bieten|\bnous offrons|\bqué ofrecemos|\blo que ofrecemos|\bne\b[^.]{0,30}\bpas\b|\bpas été\b|\bno (?:podemos|ha sido)|\bnicht\b
veto \bif (?:all goes well|successful|everything goes|things go|you(?:'re| are) successful)|\b(?:aim|hope|expect|plan|intend) to (?:make|extend|send) (?:you )?(?:an|the|our) offer|\bbefore (?:we )?(?:make|extend|making|extending) (?:you )?(?:an|the|any) offer|\bprior to (?:an|any|the) offer|\bbefore an offer|\bpre-offer|\bat (?:the )?offer stage
"#;

pub(super) const INTERVIEW: &str = r#"
invite_to_step 1.2 A \binvit(?:e|ed|ing|ation) (?:you )?(?:to|for) (?:a |an |the |our |your )?(?:[\w()-]+ ){0,4}(?:interview|call|chat|conversation|screen(?:ing)?|assessment|meeting|onsite|on-site|coffee|presentation|session|day|round|test|exercise|challenge|visit|discussion)s?\b
step_scheduled 1.2 A \b(?:interview|call|screen|meeting|onsite|panel|session|assessment)s? (?:has been |have been |is |are )?(?:scheduled|confirmed|booked|rescheduled|moved)\b|\b(?:interview|meeting|assessment) (?:confirmation|invitation|invite|reminder|details|schedule|logistics)\b|\breminder:? (?:your |upcoming )?(?:[\w-]+ )?(?:interview|call|assessment|test)|\bconfirm(?:ing|ed)? (?:your|the|our) (?:[\w-]+ )?(?:interview|call|meeting|onsite|appointment|assessment|screen)
your_step 0.8 A \byour (?:[\w-]+ )?(?:interview|call|screen|onsite|assessment|meeting|panel) (?:with|at|on|tomorrow|today|next|this)\b
schedule_step 1.0 A \b(?:schedule|book|arrange|set up|setup|organi[sz]e|line up|coordinate|get) (?:a |an |the |your |our |some |in )?(?:time for )?(?:[\w-]+ ){0,3}(?:interview|call|chat|conversation|screen|meeting|session|onsite|on-site|panel|videocall|video call|coffee|catch-?up)s?\b
like_to_meet 0.8 A \b(?:like|love|want|keen|happy|excited) to (?:meet|speak|talk|chat|have a chat|have a call|get to know|hear more|learn more about you|invite|schedule|set up|arrange|book|connect with you|move you forward|progress you|interview you|see you)\b|\bwants? to (?:meet|see) you\b|\b(?:like|love|want) (?:for )?you to (?:meet|speak|talk|chat|come in|join us for)\b|\b(?:like|love|want|pleased|happy|delighted) to (?:progress|move|take) (?:your application|you) (?:forward|further|to the next|on)\b
step_noun 0.6 A \b(?:phone|telephone|video|technical|tech|coding|final|first|second|third|next|panel|onsite|on-site|virtual|in-person|initial|intro|introductory|screening|hiring manager|behaviou?ral|system design|culture|team|working|group|one-way|recorded)[- ](?:round|interview|screen|call|chat|stage|session|assessment|test|challenge|video call)s?\b|\bphone screen|\bscreening call|\bpairing session|\bpair programming|\bassessment (?:day|centre|center)|\bsuperday|\byour panel\b|\bpanel (?:will|interview)|\btrial (?:shift|day)|\bonsite\b
step_noun 0.6 A \bcase study|\btake[- ]home|\bonline (?:assessment|test)|\bcoding (?:test|challenge|exercise)|\bwork (?:sample|trial)|\b(?:technical|written) (?:exercise|task|assignment)
test_platform 0.6 A \b(?:hackerrank|codility|codesignal|hirevue|testgorilla|coderpad|karat|shl|pymetrics|cut-e|talogy|mettl|devskiller|spark ?hire|willo|vidcruiter|modern hire|harver)\b
trait_test 1.0 A \b(?:personality|aptitude|psychometric|cognitive|situational judge?ment|numerical reasoning|verbal reasoning|logical reasoning|game-based|gamified|work ?styles?) (?:questionnaire|test|assessment|quiz|exercise)s?\b|\btest de personnalité|\btest psychotechnique|\bpersönlichkeitstest|\bprueba psicotécnica
complete_test 0.8 A \b(?:complete|take|sit|start|attempt|finish) (?:a |an |the |our |your |this |it )?(?:[\w&-]+ ){0,4}(?:assessment|test|exercise|challenge|case study|assignment|video interview|interview|task)s?\b|\b(?:test|assessment|exercise) (?:expires|is due|deadline)|\bhere(?:'s| is) the (?:[\w-]+ )?(?:exercise|assignment|case study|challenge|task)|\b(?:attached|enclosed|below|here) (?:is|are|you'll find|you will find) (?:the|your|our|a) (?:[\w-]+ ){0,2}(?:exercise|assignment|case study|challenge|task|test|assessment)\b|\b(?:please )?find attached (?:the|your|our|a) (?:[\w-]+ ){0,3}(?:exercise|assignment|case study|challenge|task|test|brief)|\b(?:record|submit|upload) (?:your )?(?:answers|responses|video responses)\b
step_link 0.6 A \byour (?:personal |unique |individual )?(?:interview |assessment |test )?link\b|\b(?:link|invitation) (?:is|will be) valid|\blink (?:expires|will expire)
scheduling_link 0.8 A calendly|\bcal\.com/|savvycal|/scheduling|/schedule/|/meetings/|/interviews/|\bgoodtime\b|doodle\.com|youcanbook\.me|\bbooking link|\bcalendar link|\bzcal\b|\bhere(?:'s| is) my (?:calendar|calendly|scheduling)|\bmy (?:calendar|booking|scheduling) (?:link|page)
pick_time 0.8 A \b(?:pick|choose|select|book|grab|find|suggest|propose|reserve) (?:a|any|one|the|your|some|two|three|a few|a couple of)? ?(?:[\w-]+ )?(?:time|slot|date|day|timeslot)s?\b|\bslots? (?:below|here|that)|\bhere are (?:some|a few) (?:slots|times|options)|\breply with the one you prefer
availability 0.6 A \b(?:your|share|send|provide|let (?:me|us) know) (?:me |us )?(?:your )?availability\b|\bavailability (?:for|next|this|over)\b|\b(?:are|would) you (?:be )?(?:free|available)\b|\bdoes [^.?]{0,40} (?:work|suit) for you|\b(?:what|which) (?:day|days|time|times) (?:work|works|suit|would)|\bwould [^.?]{0,50}\bwork\?|\bcan you (?:do|make) (?:it|a call|\w+day)|\bare you around\b|\bconfirm (?:that )?(?:works|your attendance|your place|the time)
reschedule 1.0 A \breschedul|\brebook|\b(?:move|moved|push|pushed) (?:our|your|the) (?:[\w-]+ )?(?:call|interview|chat|meeting|panel|session|onsite)|\bnew (?:time|date|slot) for (?:your|the|our)
calendar_invite 0.6 A \bcalendar (?:invite|invitation|hold|holds|request)|\bmeeting (?:invite|link|id)\b|\binvitation from google calendar|\byou have been invited to (?:the following|an?) (?:event|meeting)|meet\.google\.com|zoom\.us|teams\.microsoft|\b(?:zoom|teams|meet|webex|video) link\b|\bsame link\b|\bjoining (?:info|instructions|details)|\bdial-in
when_where 0.4 A ^(?:date|time|when|where|location|address|duration|format|platform|interviewers?|agenda|datum|uhrzeit|ort|fecha|hora|lugar|heure|lieu)\s?:|\bhere(?:'s| is) (?:your|the) agenda|\bagenda\b|\bcheck in at (?:reception|the front desk)|\bwill meet you at\b|\b(?:please )?arrive (?:\d+ minutes )?(?:early|at|by)\b|\bask for \w+ at reception
time_slot 0.4 A \b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b[^.?!]{0,40}\b(?:at|from|@)\s?\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm|uhr|h\b)?|\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b|\bum \d{1,2}(?:[:.]\d{2})? uhr|\bà \d{1,2}h|\ba las \d{1,2}
come_in 0.8 A \bcould you come in\b|\bcome (?:in|into the office|by|over) (?:on|for|at|next|this|tomorrow)|\bvisit (?:us|our office) (?:on|for|at|next)|\bspend (?:an? )?(?:afternoon|morning|day|hour) with us|\bmeet (?:me|us|the team|our|with)\b|\bin front of the (?:team|panel)|\bsee you (?:then|on|tomorrow|next)|\blooking forward to (?:speaking|meeting|seeing|hosting|talking|chatting)
next_step 0.5 A \bnext (?:step|stage|round|up)\b[^.]{0,20}(?:\bis\b|\bwill be\b|\bwould be\b|:)|\bprogress(?:ing|ed)? (?:you )?to the next (?:stage|step|round)|\bmade it to the (?:next|final)|\bmaking it to the (?:next|final)|\bmoving you (?:forward|on) to
brief_call 0.5 A \b\d{2,3}[- ]?(?:minute|min|minutes|mins)\b[^.]{0,40}\b(?:call|chat|conversation|interview|session|meeting|video|coffee|test|assessment)|\b(?:quick|short|brief|informal) (?:call|chat|conversation|intro)\b|\bon my calendar\b|\b(?:virtual|video)\)? coffee\b|\bprep call
de_einladung 1.2 A \beinladung (?:zu|zum|zur)\b|\b(?:laden|lade)\b[^.]{0,100}\bein\b|\beinladen\b|\beinzuladen\b
de_gespraech 0.6 A \bvorstellungsgespräch|\bpersönliche[ns]? (?:gespräch|kennenlernen)|\bbewerbungsgespräch|\bkennenlerngespräch|\bfachgespräch|\bzweitgespräch|\bassessment-?center|\bprobearbeit|\beignungstest|\bonline-test
de_termin 0.6 A \btermin(?:vorschlag|vorschläge|e)?\b|\bzeitfenster
de_zeit 0.6 A \b(?:hättest|hätten|habt|hast|haben) (?:du|sie|ihr) [^.?]{0,40}\bzeit\b|\bpasst (?:ihnen|dir) [^.?]{0,30}\?
de_video 0.5 A \bvideocall|\bvideo-call|\bvideotelefonat|\btelefoninterview|\bvideointerview
de_kennenlernen 0.6 A \bkennenlernen\b|\bkennenzulernen\b
de_vereinbaren 1.0 A \btermin\w* (?:zu |mit ihnen |mit dir )?(?:vereinbaren|abstimmen|finden)|\bgespräch (?:zu )?vereinbaren
fr_entretien 0.8 A \bentretien\b|\bconvocation\b|\bvous (?:convier|convions|inviter|invitons) à|\bt'inviter à|\btest technique
fr_organiser 1.0 A \b(?:organiser|planifier|fixer|convenir d'|programmer|caler) (?:un|une|le|la) (?:entretien|rendez-vous|appel|échange|rencontre|visio)|\b(?:vous|te) propos(?:er|ons) (?:un|une) (?:entretien|rendez-vous|échange|rencontre|visio)
fr_creneau 0.6 A \b(?:vos|tes) disponibilités|\bcréneau|\bseriez-vous disponible|\bes-tu disponible
fr_rencontre 0.5 A \bvisio(?:conférence)?\b|\béchange (?:téléphonique|en visio)|\b(?:vous|te) rencontrer\b|\bappel (?:téléphonique|vidéo)
es_entrevista 0.8 A \bentrevista\b|\bprueba técnica
es_invitar 1.0 A \b(?:invitarte|invitarle|te invitamos|le invitamos|os invitamos) a (?:una|la|el|un|participar|realizar)\b
es_agendar 1.0 A \b(?:agendar|programar|concertar|organizar|coordinar|fijar) (?:una|un|la|el) (?:entrevista|llamada|reunión|videollamada|cita)
es_tiempo 0.6 A \b(?:tendrías|tendría|tienes|tiene|tendrían) [^.?]{0,30}\b(?:minutos|tiempo|un rato|hueco)|\b(?:tu|su) disponibilidad|\bhuecos?\b|\bestarías disponible|\bte (?:viene|vendría) bien|\ble (?:viene|vendría) bien
es_llamada 0.5 A \bvideollamada|\bllamada\b|\bcharlásemos|\bcharlar\b|\bconocerte\b|\benlace de (?:teams|zoom|meet)
veto @conditional
veto @negation
unless @courtesy
veto @cancel
unless @rebook
veto @past_step
veto @paused
veto @not_a_step
"#;

pub(super) const REJECTION: &str = r#"
not_moving_forward 1.2 A (?:\bnot|n't|\bunable to|\bdecided against) (?:be )?(?:to )?(?:mov(?:e|ing)|proceed(?:ing)?|progress(?:ing)?|tak(?:e|ing)|go(?:ing)?|continu(?:e|ing)|advanc(?:e|ing)|pursu(?:e|ing)) (?:[\w-]+ ){0,3}(?:forward|further|ahead)\b|\bnot (?:to )?(?:proceed|progress|continue|advance|pursue)\b|\bnot (?:be )?(?:proceeding|progressing|continuing|moving forward) with (?:any|your|you|the|other)\b|(?:n't|\bnot|\bcannot|\bunable to|\bnot able to) (?:be )?(?:to )?(?:proceed|progress|advanc|mov|tak|pursu|continu|invit)\w* (?:with )?(?:your|you)\b
others_chosen 1.2 A \b(?:pursue|pursuing|selected|select|chosen|chose|choose|go with|going with|gone with|went with|proceed(?:ing)? with|mov(?:e|ing) forward with|continu(?:e|ing) with|hire|hired|hiring|appointed|offered (?:it|the (?:role|position|job)) to|decided on|in favou?r of) (?:an?other|other|a different|different|someone|somebody|an? (?:[\w-]+ ){0,2}candidate|the (?:other|successful) candidate|candidates|applicants|one of the other|internal)|\b(?:went|gone|going|go) internal\b|\bprogress(?:ing)? with (?:other|another|a different|someone)
other_candidate 0.8 A \b(?:another|other|different|stronger|more (?:suitable|qualified|experienced)) (?:candidates?|applicants?|profiles?)\b
closer_match 0.6 A \bmore closely (?:match|align|fit)|\bcloser (?:match|fit)\b|\bbetter (?:match|fit|suited)\b|\bmore (?:closely )?aligned
offer_to_other 1.2 A \boffer to (?:another|a different|an?other|someone|the other)|\b(?:accepted|filled) (?:by|with) (?:another|someone)|\bwho has accepted
filled_closed 1.2 A \b(?:position|role|job|vacancy|opening|post|requisition) (?:[\w-]+ ){0,3}(?:has|have|had|is|was) (?:now |already |since )?(?:been )?(?:filled|closed|cancel+ed|eliminated)\b|\bdecided not to (?:fill|hire|proceed with (?:the|this) (?:role|position))|\bclos(?:e|ed|ing) all applications|\b(?:decided|decision|have|had) to close (?:the |this |that )?(?:[\w-]+ ){0,3}(?:role|position|requisition|search|vacancy|opening)\b|\b(?:closed|closing) (?:the|this|that) (?:role|position|requisition|search|vacancy)\b|\b(?:closed|close) your application|\bno longer (?:accepting|considering|hiring|recruiting)|\bwe(?:'ve| have)? (?:now |already )?filled (?:the|this|that)\b|\bno longer (?:available|open)\b
not_selected 1.2 A \bnot (?:been )?(?:selected|successful|shortlisted|chosen|retained|progressed)\b|\bunsuccessful\b|\bstatus:? (?:not selected|rejected|declined|unsuccessful|closed|no longer under consideration)|\bno longer under consideration|\b(?:changed|updated|set) to:? (?:rejected|declined|not selected|closed|unsuccessful|not progressing)\b|\bnot selected\b
decline_application 1.2 A \b(?:decline|reject|turn down|turned down) your (?:application|candidacy|candidature)|\b(?:not in a position|not able|unable) to offer you\b|\b(?:cannot|can't) offer you\b|\bnot (?:to )?(?:be )?offer(?:ing)? you\b|\bregret to (?:inform|tell|let you know|advise)|(?:\bnot|n't|\bunable) (?:be )?(?:able )?to offer you\b
another_direction 1.2 A \b(?:another|a different) direction|\b(?:going to|will|'ll|decided to|have to|had to|must|gonna) pass\b|\bpass (?:on your|for now)|\bnot (?:the right|a) (?:fit|match)\b|\bnot be (?:a|the right) fit|\bnot quite the right fit
unfortunately 0.5 A \bunfortunat\w*|\bsadly\b|\bregret(?:fully|tably)?\b|\bdisappoint\w*|\bsorry to (?:say|inform|tell|let you)|\bnot the news you|\bgutted\b|\bbad news
not_this_time 0.4 A \bno luck\b|\bnot this time\b|\bon this occasion\b|\bthis time around\b|\bi'm afraid\b|\bdiesmal\b|\bcette fois\b|\ben esta ocasión\b
encourage_future 0.3 A \b(?:keep|retain|hold) (?:your|you) (?:[\w-]+ ){0,2}(?:on file|in mind|for future)|\bfuture (?:opportunities|roles|openings|positions|vacancies)|\bapply (?:again|for (?:other|future))|\bencourage you to (?:apply|visit|review)|\bwish you (?:the best|every success|all the best|luck|success)|\b(?:best of|good) luck (?:in|with) (?:your|the)
no_sponsorship 0.6 A \b(?:unable|not able|cannot|can't|do not|don't) (?:to )?sponsor
de_leider 0.6 A \bleider\b|\bbedauer(?:n|lich|licherweise)
de_absage 1.2 A \b(?:für|mit) (?:einen|eine|einem|einer) (?:anderen?|andere) (?:kandidat|bewerber|person)|\banderen? (?:kandidat|bewerber)\w*|\bnicht (?:weiter )?(?:berücksichtig|in betracht|weiterverfolg)|\babsage\b|\bnicht (?:in die )?engere (?:wahl|auswahl)|\b(?:stelle|position) (?:[\w-]+ ){0,3}(?:bereits |inzwischen )?(?:besetzt|vergeben)|\bkeine positive\b|\bgegen (?:ihre|deine) bewerbung|\bnicht (?:für )?(?:sie|dich) entschieden|\b(?:ihnen|dir) (?:leider )?(?:eine )?absag|\banderweitig\b
fr_refus 1.2 A \b(?:pas|ne) [^.]{0,40}suite favorable|\bne (?:pas )?donner suite|\bpas (?:été )?(?:retenue?s?|sélectionnée?)|\bnon retenue?|\bretenu (?:une autre|un autre|d'autres)|\b(?:d'autres|une autre|un autre) (?:candidat|profil|candidature)|\bposte (?:[\w-]+ ){0,2}(?:a été |est )?(?:pourvu|clos)|\bau regret|\bavons le regret|\bne correspond pas\b
fr_malheureusement 0.6 A \bmalheureusement
es_rechazo 1.2 A \bno (?:ha|has|han) sido (?:seleccionad|elegid)|\bno (?:continuar|seguir|avanzar)\w* (?:adelante )?(?:con )?(?:tu|su) (?:candidatura|proceso|solicitud)|\b(?:continuar|seguir|avanzar) (?:adelante )?con (?:otros|otro|otra|otras) (?:candidat|perfil)|\b(?:otros|otro|otra|otras) (?:candidat\w+|perfiles?)\b|\bpuesto (?:[\w-]+ ){0,2}(?:ya )?(?:ha sido |está )?(?:cubierto|ocupado)|\bno (?:podemos|podremos|vamos a|va a ser posible) (?:ofrecer|continuar|seguir|avanzar)|\bno (?:ha|has) superado|\bdescartad|\bno (?:continuar|seguir|avanzar)\w* (?:adelante|con)\b
es_lamentablemente 0.6 A \blamentablemente|\bdesafortunadamente|\bpor desgracia|\bsentimos (?:comunicar|informar)|\blamentamos
veto @conditional
# 'we are unable to give individual feedback' is not a decision.
veto (?:\bunable|\bnot able|\bcannot|n't|\bnot possible|\bnicht möglich|\bne pouvons pas|\bno podemos) [^.]{0,60}(?:feedback|respond|reply|answer|rückmeldung|retour|respuesta|individual|each)|\bindividual(?:ly)?\b|\bindividuell|\bindividuel|\bindividualizad
veto \byou(?:'ve| have)? (?:successfully )?withdr[ae]wn?|\bno decision has been made
"#;

pub(super) const INFO_REQUEST: &str = r#"
could_you_send 1.0 A \b(?:could|can|would|will) you (?:please |kindly |also |either |just |quickly )*(?:send|share|provide|forward|confirm|let (?:me|us) know|reply|respond|upload|complete|fill|sign|tell|email|e-mail|give|submit|update|answer|attach|resend|re-send|bring|verify)\b|\bcan (?:i|we) (?:get|have|grab|ask for)\b
please_supply 0.8 A \bplease (?:kindly )?(?:send|share|provide|forward|confirm|reply|respond|upload|submit|complete|fill|sign|return|answer|let (?:me|us) know|email|e-mail|attach|update|add|verify|bring|include)\b|\bkindly (?:send|provide|forward|confirm|complete|return|sign|submit|upload|share)\b|\bplease (?:log|sign) ?in\b[^.]{0,60}\b(?:complete|add|update|upload|provide|answer|submit|fill)
reply_with 0.8 A \breply (?:to this email )?with\b|\banswer (?:the following|these|a few|the questions)|\bfollowing (?:questions?|details|information|documents)\b|\bquick (?:q|question)s?\b|\bscreening questions?
need_from_you 0.6 A \b(?:we|i) (?:still |will |would |also )*(?:need|require)s? (?:[\w-]+ ){0,3}(?:your|a copy|copies|the following|some|a few|to (?:confirm|verify|complete|check|collect|see|know)|from you)|\bmissing (?:required |some )?(?:information|documents?|details|fields?)|\b(?:is|are) missing\b|\bincomplete\b|\brequired (?:information|documents?)|\bmissing (?:your|a|the)\b
before_proceed 0.7 A \bbefore (?:we|i|our (?:[\w-]+ )?team|the team|the hiring manager) (?:can |could )?(?:review|progress|proceed|put you forward|move|pass|send|forward|go (?:any )?further|submit|consider|make (?:our|a|the) (?:final )?decision|take (?:this|your application|things) further|continue)|\bbefore (?:mov|progress|proceed|review|forward|submitt)ing\b|\bto (?:continue|proceed with|progress) (?:reviewing )?(?:your|with your) (?:application|candidacy)|\bso (?:that )?(?:we|i) can (?:verify|forward|continue|process|progress|review|move)|\bin order to (?:process|proceed|continue|progress|consider)|\bcan(?:not|'t) be (?:forwarded|processed|considered) (?:to|until|without)|\bto be considered\b|\bto complete your application\b
salary_expectations 0.6 A \b(?:salary|pay|rate|compensation) (?:expectations?|requirements?|range you|you(?:'re| are) (?:looking|expecting))|\bexpected (?:salary|compensation|rate)|\bdesired (?:salary|pay|rate)|\bday rate\b|\b(?:current|expected) ctc\b|\bwhat(?:'s| is| are) your (?:current |expected |desired )?(?:salary|notice period|rate|day rate|compensation)
notice_start 0.5 A \bnotice period|\bearliest (?:possible )?start(?:ing)? date|\bwhen (?:could|can|would) you start|\bstart date\b|\bwhich days and times
relocation 0.4 A \bwilling to relocate|\bopen to relocat|\brelocate to\b|\brelocating to\b
work_authorisation 0.5 A \bright to work\b|\bwork (?:authori[sz]ation|permit|visa)|\bvisa (?:status|sponsorship)|\brequire (?:visa )?sponsorship|\bsponsorship\b|\bshare code\b|\beligib(?:le|ility) to work
references 0.6 A \breferees?\b|\breferences?\b
documents 0.5 A \b(?:copy|copies|photo|scan|proof) of (?:your|the)\b|\b(?:degree|birth|first-aid|forklift|dbs|police|good conduct) (?:certificate|check)|\b(?:transcripts?|diplomas?|licen[cs]e number|passport|driver'?s licen[cs]e|driving licen[cs]e|background check|dbs check|id documents?|forms of id|working link)\b|\bcertification\b|\b(?:portfolio|work samples?|writing samples?|payslips?|p45|bank details|cover letter|(?:updated|latest|recent|current) (?:cv|resume))\b
form_questionnaire 0.6 A \b(?:fill (?:in|out)|complete|return|submit) (?:this |the |our |your |a |an |attached |the attached |the online )?(?:[\w-]+ ){0,3}(?:form|questionnaire|profile|check)\b|\bquestionnaire\b|\b(?:intake|application|candidate information|availability|consent) form
still_interested 1.0 A \bstill interested\b|\bconfirm (?:your|that you are|that you're|you are|you're) (?:still )?(?:interest|interested|available)|\b(?:is|are) (?:this|the role) still of interest|\bremain interested|\bnoch interess|\btoujours intéressée?|\bsigues interesad|\bsigue interesad
question_list 0.5 B ^(?:\d+[.)]\s*)?(?:do|are|will|would|can|have|is) you [^?]{3,100}\?$|^\d+[.)]\s|\bdo you (?:have|hold|require|need|currently|speak)\b[^?]{0,80}\?
de_bitte_senden 1.0 A \bteilen sie uns\b|\bteile uns\b|\blass(?:en sie)? uns\b[^.]{0,40}\bwissen|\b(?:bitte|könnten sie|könntest du|kannst du|können sie|würden sie|würdest du)\b[^.?]{0,80}\b(?:senden|schicken|zukommen lassen|mitteilen|mitzuteilen|nennen|einreichen|nachreichen|hochladen|ausfüllen|auszufüllen|bestätigen|beantworten|übermitteln|zusenden|zuzusenden|zuschicken|ergänzen|nachzureichen)\b
de_need 0.8 A \bgehaltsvorstellung|\bgehaltswunsch|\bkündigungsfrist|\bfrühestmöglich|\beintrittstermin|\b(?:benötigen|bräuchten) (?:wir )?(?:von (?:ihnen|dir) )?noch\b|\bnoch (?:benötigen|bräuchten|fehlen)|\bfehlende? unterlagen|\bunvollständig|\barbeitserlaubnis|\baufenthaltstitel|\breferenzen\b
fr_merci_de 1.0 A \b(?:pourriez-vous|pouvez-vous|pourrais-tu|peux-tu|merci de (?:bien vouloir )?|je vous (?:prie|remercie) de (?:bien vouloir )?|veuillez|nous vous remercions de (?:bien vouloir )?)[^.?]{0,60}\b(?:envoy|transmet|fai(?:re|tes) parvenir|communiqu|complét|rempl|confirm|indiqu|renvoy|fourn|retourn|précis|joind)\w*
fr_need 0.6 A \bprétentions salariales|\bsalaire souhaité|\bpréavis|\bdate de disponibilité|\bpièces? manquantes?|\bdossier (?:est )?incomplet|\bautorisation de travail|\bpermis de travail|\bréférences\b
es_envianos 1.0 A \b(?:podrías|podría|podrían|puedes|puede|le rogamos|te rogamos|te pedimos|le pedimos|le agradeceríamos|te agradeceríamos|por favor,?|necesitamos que)\b[^.?]{0,60}\b(?:envi|enví|remit|mand|indic|confirm|complet|rellen|adjunt|facilit|respond|compart)\w*
es_need 0.6 A \bexpectativas salariales|\bpretensiones salariales|\bbanda salarial|\bpreaviso|\bfecha de incorporación|\bpermiso de trabajo|\bdocumentación (?:pendiente|requerida)|\bcopia del?\b|\bcertificado\b|\breferencias\b
veto @optional
veto \b(?:personality|aptitude|psychometric|cognitive|situational judge?ment|numerical reasoning|verbal reasoning|logical reasoning|game-based|work ?styles?) (?:questionnaire|test|assessment)
"#;

pub(super) const ACKNOWLEDGEMENT: &str = r#"
received_application 1.2 A \b(?:received|receipt of|got|safely received) (?:your|the) (?:[\w-]+ ){0,2}(?:application|applications|cv|résumé|resume|submission|repo|portfolio|documents|take-home|assignment|test|exercise|profile|cover letter|details)\b|\b(?:application|cv|resume|submission|documents?) (?:[\w-]+ ){0,3}(?:has|have|was|were) (?:been )?(?:successfully |safely )?(?:received|submitted|delivered)
forwarded_cv 1.0 A \b(?:submitted|forwarded|sent|passed|put) (?:your|the) (?:cv|resume|profile|application|details) (?:on |over )?(?:to|forward to) (?:the|my|our) (?:client|hiring|recruiting|team|line manager)|\b(?:has|have) been (?:forwarded|passed on|shared) (?:to|with) the (?:hiring|recruiting|relevant)|\bwe have your (?:application|cv)\b|\b(?:results|submission|assessment|answers) (?:have|has) been (?:sent|forwarded|shared|passed)
application_in 1.0 A ^(?:your )?application (?:received|submitted|confirmation|confirmed)\b|\b(?:application|cv|resume)\b[^.!]{0,60}(?:\bis in\b|\bjust landed|\blanded in|\bmade it to us|\barrived|\bis with us)|\breceived,? (?:thanks|thank you|with thanks)|\bthanks,? received\b|\bautomatic confirmation|\bthis (?:is a|email) confirm|\bconfirm(?:s|ing)? (?:the )?receipt
thanks_applying 0.8 A \bthank(?:s| you)(?: so much| again)? for (?:applying|your application|submitting|your submission|sending (?:over |through |in )?your|getting your|forwarding your|sharing your|your cv|your resume|registering|considering|thinking of|completing (?:the|your|our) (?:[\w-]+ )?(?:assessment|test|exercise|questionnaire|application|task|challenge))|\b(?:cheers|thanks) for (?:sending|getting|forwarding)
thanks_interest 0.3 A \bthank(?:s| you) for your interest\b
under_review 0.8 A \bunder (?:review|consideration)|\bstill in review\b|\bin (?:the )?review (?:stage|phase|process)\b|\b(?:is|are) (?:currently |now )?being (?:reviewed|considered|assessed|screened)\b|\b(?:is|are) (?:currently |now )?(?:reviewing|considering|assessing|screening) (?:it|your|all|applications|candidates|the applications)|\b(?:review|consider|read)(?:ing|s)? (?:every|all|each) (?:application|applicant|candidate)|\bstill (?:being )?(?:reviewing|considering|reviewed|considered|collecting|gathering|waiting|finali[sz]ing|in the process)|\bnew status: (?:under review|in review|received|submitted|in progress)
will_review 0.6 A \b(?:will|'ll|going to) (?:[\w-]+ ){0,2}(?:review|take a (?:[\w-]+ )?look|go through|read|look (?:at|over|through)|assess|consider|evaluate|be reviewing|screen)\b|\bwill be (?:reviewed|considered)|\bputting my shortlist together|\bpassed it on to\b
in_touch 0.5 A \b(?:will|'ll|shall|going to) (?:[\w'-]+ ){0,4}(?:be in touch|get back to you|come back to you|update you|let you know|follow up|reach out|contact you|email you|text you|circle back|get in touch)\b|\byou(?:'ll| will) (?:hear|get an (?:email|update)) (?:from us|back)|\bhear back\b|\beither way\b|\bno matter what\b|\bas soon as (?:we|i) (?:know|have|can)
patience 0.6 A \b(?:collect|gather|consolidat)\w* (?:[\w'-]+ ){0,2}(?:feedback|thoughts|input|impressions)|\b(?:thank(?:s| you)?|appreciate) (?:[\w-]+ ){0,2}(?:patience|bearing with)|\bhaven't forgotten|\bhave not forgotten|\b(?:expect|hope|plan) to (?:have|get|make|share|come back)[^.]{0,30}(?:decision|news|update|feedback)|\btaking (?:a little |a bit |slightly )?longer|\bdecision (?:is|will be)[^.]{0,20}(?:taking|made|expected)|\bno action (?:is )?(?:needed|required)|\bnothing (?:you need|for you) to do
thanks_time 0.5 A \bthank(?:s| you)(?: again)? for (?:your time|spending|coming in|meeting|talking|speaking|visiting|the (?:chat|call|conversation)|taking the time|interviewing|attending)|\b(?:enjoyed|great) (?:meeting|speaking|talking|chatting|having you)|\bhiring committee (?:meets|will meet)
status_portal 0.3 A \b(?:check|track|view|review|see) (?:the |your )?(?:[\w-]+ )?status\b|\bcandidate (?:home|portal|account)\b|\bcareers? portal
de_eingang 1.2 A \beingangsbestätigung|\beingang (?:ihrer|deiner|der) (?:bewerbung|unterlagen)|\b(?:unterlagen|bewerbung|bewerbungsunterlagen|lebenslauf)\b[^.]{0,40}\b(?:erhalten|eingegangen|angekommen)\b|\b(?:erhalten|bekommen) (?:haben )?[^.]{0,20}(?:ihre|deine) (?:bewerbung|unterlagen)
de_danke 0.6 A \b(?:vielen |herzlichen )?dank (?:für|fuer) (?:ihre|deine|eure) bewerbung|\bdanke für (?:deine|ihre) bewerbung
de_pruefen 0.6 A \b(?:prüfen|sichten|schauen|sehen) (?:uns )?(?:diese|sie|ihre|deine|die)?\b[^.]{0,40}\b(?:sorgfältig|in ruhe|genau)\b|\bwir melden uns|\buns\b[^.]{0,40}\bmelden\b|\bmelden (?:uns|wir uns) (?:bei|schnellst|zeitnah|in|sobald)|\bin bearbeitung|\bprüfung (?:ihrer|deiner) (?:unterlagen|bewerbung)
fr_reception 1.2 A \b(?:l'avons|l'avons bien|avons bien) reçue?\b|\baccus(?:ons|é|e) (?:bonne )?réception|\bréception de (?:votre|ta) candidature|\b(?:bien )?reçu (?:votre|ta) candidature|\bcandidature (?:a bien été|a été) (?:reçue|enregistrée|transmise)|\bcandidature a (?:bien )?été prise en compte
fr_etude 0.6 A \b(?:étudier|étudié|examiner|examiné|analyser|analysé)e?s?\b[^.]{0,30}\b(?:attention|soin)|\breviendrons vers vous|\bnous vous recontacterons|\ben cours d'(?:étude|examen)|\bremercions de (?:l'intérêt|votre candidature)
es_recibido 1.2 A \b(?:hemos )?recibido (?:correctamente |con éxito )?(?:tu|su) (?:candidatura|solicitud|cv|currículum|inscripción)|\b(?:candidatura|solicitud) (?:ha sido|se ha) (?:recibid[oa]|registrad[oa])
es_revisaremos 0.6 A \b(?:revisaremos|estamos revisando|valoraremos|estudiaremos|analizaremos)|\bnos pondremos en contacto|\bte contactaremos
es_gracias 0.6 A \bgracias por (?:tu|su) (?:candidatura|solicitud)|\bgracias por (?:inscribirte|postularte|postular|aplicar|presentar tu candidatura)
"#;

pub(super) const ON_HOLD: &str = r#"
on_hold 1.0 A \bon hold\b|\b(?:pause|paused|pausing)\b|\bhiring (?:freeze|pause)|\bfreeze on hiring|\bpostponed?\b|\b(?:process|hiring|recruitment|role|decision|timeline)\b[^.]{0,30}\bdelayed\b|\bauf eis\b|\bpausiert|\ben pause\b|\bsuspendu|\ben suspens\b|\bsuspendid|\ben pausa\b|\bcongelad
still_open 0.4 A \bno decision has been made|\b(?:remains|stays|still) (?:open|active)\b|\bas soon as (?:the role|it|hiring) (?:reopens|resumes)|\breopens?\b|\bresume (?:the process|hiring|interviews)|\bexpect to resume
"#;

pub(super) const BULK: &str = r#"
job_alert 1.2 A \bjob alerts?\b|\bjob recommendations?\b|\bjobs? (?:matching|for you|you might|that match|based on)|\b\d+\+? new (?:jobs|roles|openings|positions|opportunities)\b|\bnew jobs?\b|\brecommended (?:jobs|roles|for you)|\bjobs? you (?:may|might) (?:like|be interested)|\bsimilar jobs\b|\bmatching your (?:search|alert|profile)|\byour alert\b|\bjobalarm|\bneue (?:jobs|stellen(?:angebote)?)\b|\bpassende (?:jobs|stellen)|\bvotre alerte|\bnouvelles offres|\boffres (?:qui )?correspond|\bnuevas ofertas|\balerta de empleo|\bofertas (?:que encajan|para ti)
profile_stats 1.0 A \bappeared in \d+ searches|\bviewed your profile|\bprofile views|\bopen to work\b|\bsearch appearances|\bwho(?:'s| is) looking\b|\bboost your profile
newsletter 1.0 A \bwebinar|\bnewsletter|\bdigest\b|\bmarket (?:update|report|insights)|\bblog\b|\bpodcast|\bcareer (?:fair|tips|advice)|\bhiring event|\bopen house|\bjob fair|\bsave your seat|\bregister now|\brsvp\b|\bwhite ?paper|\bebook\b|\bcv (?:writing|review) service|\b\d+ (?:tips|ways|mistakes)\b|\binterview tips|\bunsubscribed\b
community 0.5 A \btalent (?:community|network)\b|\bjoin our talent
unsubscribe 0.5 A \bunsubscrib|\bopt out\b|\bmanage (?:your )?(?:alerts|preferences|subscriptions|notifications|email)|\bemail preferences|\byou(?:'re| are) receiving (?:this|these)|\babmelden|\babbestellen|\bdésinscri|\bdésabonner|\bne plus recevoir|\bdarse de baja|\bdarte de baja|\bdejar de recibir
apply_now 0.4 A \beasy apply|\bapply now\b|\bbe an early applicant|\bone click\b|\bpostulez|\binscríbete|\bjetzt bewerben|\bwe(?:'re| are) hiring\b|\bsee (?:all )?open roles|\bview all (?:jobs|offers)|\bver todas las ofertas
veto \b(?:set up|create|sign up for|activate|manage) (?:a |your )?(?:job )?alerts?\b
bulk_sender 0.5 F ^(?:[^<]*<)?(?:alerts?|alertes|alertas|digest|newsletter|news|events?|insights|blog|marketing|updates|jobalerts?|jobs-?alerts?)@|\balert
"#;

pub(super) const AUTO_REPLY: &str = r#"
auto_subject 1.2 S ^(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response|antwort)|automatische antwort|autoreply|out of (?:the )?office|ooo\b|abwesenheit|réponse automatique|respuesta automática|risposta automatica|absence)
out_of_office 0.8 B \bout of (?:the )?office\b|\b(?:i am|i'm|i will be) (?:currently )?(?:away|out|on (?:leave|vacation|holiday|parental leave|pto))\b|\blimited access to (?:my )?e-?mail|\bnicht im büro|\babwesend\b|\babsente? du bureau|\bfuera de la oficina|\bde vacaciones|\ben congés?\b|\bback in the office|\bwird nicht weitergeleitet|\bje suis (?:actuellement )?absente?\b|\bestoy (?:fuera|ausente)
unmonitored 0.5 B \bthis (?:mailbox|inbox|email address) is (?:not|no longer) monitored|\bnot been delivered|\bwill not be (?:read|monitored)
thanks_message 0.4 B ^(?:thank(?:s| you)(?: very much)? for your (?:message|email|e-mail)|vielen dank für ihre nachricht|merci pour votre message|gracias por tu mensaje)
"#;

pub(super) const SYSTEM: &str = r#"
verification 1.2 A \bverification code|\bverify your (?:e-?mail|account|identity)|\bconfirm your (?:e-?mail|account|registration)\b|\bpassword reset|\breset your password|\bone-time (?:code|password|passcode)|\blogin code|\bsign-in code|\bsecurity code|\bactivate your account|\bcreat(?:ed|ing) (?:an|your) (?:candidate |applicant )?account|\bregistration (?:is |was )?(?:complete|successful)|\baccount (?:has been )?(?:created|activated)|\bwelcome to (?:the |our )?(?:[\w&-]+ ){0,4}(?:career|candidate|talent) (?:portal|site|account)
draft 1.2 A \bhaven't (?:finished|submitted|completed)|\bhave not (?:finished|submitted|completed) your|\bnot (?:yet )?(?:been )?submitted|\bstarted an application|\bpick up where you left off|\b(?:unfinished|unsubmitted|saved draft|draft application)|\bapplications? in draft|\bnoch nicht abgeschickt|\bnon (?:encore )?finalisée|\bno has (?:terminado|finalizado)
privacy 0.8 A \bprivacy (?:policy|notice|statement)|\bdata (?:retention|protection)|\bgdpr\b|\bdsgvo\b|\bdatenschutz(?:hinweis|erklärung)|\bprotection des données|\bprotección de datos
"#;

pub(super) const WITHDRAWN: &str = r#"
withdrawn 1.2 A \byou(?:'ve| have)? (?:successfully )?withdr[ae]wn?\b|\bwithdrawal of your application|\byour (?:request to withdraw|withdrawal)|\bconfirm(?:ation|ing|s)? (?:that )?you(?:'ve| have)? withdr|\bzurückgezogen|\bretiré votre candidature|\bretirado (?:tu|su) candidatura
"#;

pub(super) const ONBOARDING: &str = r#"
accepted 1.0 A \byou(?:'ve| have)? accepted\b|\bthrilled you(?:'re| are) joining|\bnow that you(?:'ve| have) (?:accepted|signed)|\bthanks for (?:signing|accepting)|\bsigned (?:offer|contract) (?:received|back)
first_day 0.5 A \bfirst (?:day|week)\b|\bday one\b|\bhave you (?:start|join)|\byour start date\b|\berster arbeitstag|\bpremier jour|\bprimer día
onboarding 0.5 A \borientation\b|\bonboarding\b|\binduction\b|\bbuddy\b|\bwelcome pack
onboarding_admin 0.5 A \bi-9\b|\bw-4\b|\bdirect[- ]deposit|\blaptop (?:will|is|has)|\bequipment (?:will|is)|\bbadge\b|\bbenefits enrol+ment|\bpayroll (?:form|details)
welcome_aboard 0.5 A \bwelcome aboard|\bwelcome to (?:the team|[\w&-]+ (?:software|labs|team))!
"#;

pub(super) const OUTREACH: &str = r#"
came_across 1.0 A \bcame across your (?:profile|cv|resume|background)|\bfound your (?:profile|cv)|\byour (?:profile|background|experience) (?:caught my eye|stood out)|\bi(?:'m| am) (?:a recruiter|reaching out|recruiting|working) (?:on behalf|with a client|for a client|about a)|\bi(?:'m| am) (?:a |an )?(?:[\w-]+ )?(?:recruiter|headhunter|talent partner|sourcer) (?:at|with|for)\b|\b(?:reviewed|saw|found|viewed) your (?:resume|cv|profile) (?:on|at|via|in)\b
came_across_i18n 1.0 A \bauf (?:ihr|dein) profil (?:[\w-]+ ){0,2}aufmerksam|\bspannende (?:position|stelle|vakanz|herausforderung) für (?:sie|dich)|\bj'ai (?:découvert|vu|remarqué) (?:votre|ton) profil|\bvotre profil (?:a retenu|m'a)|\bhe visto tu perfil|\btu perfil (?:encaja|me ha)
know_anyone 1.0 A \b(?:do you |might you |you )?know (?:anyone|someone|anybody)\b
referral 0.8 A \breferral (?:fee|bonus|reward)|\brefer (?:a friend|someone)
just_opened 0.8 A \bjust opened (?:a|an|up)|\bnew (?:role|position|opportunity) (?:you might|that (?:could|might|may))|\bnew role you might
for_you 0.8 A \b(?:a|an) (?:new |exciting |great )?(?:job offer|position|role|opportunity|vacancy) for you\b
interested 0.6 A \bwould you be interested\b|\bare you interested\b|\binterested\?|\bopen to (?:a |having a )?(?:quick |brief )?(?:chat|call|conversation)\b
might_fit 0.6 A \b(?:could|might|may) be (?:a )?(?:great|good|perfect|strong)? ?(?:fit|match) for you|\bexciting (?:new )?opportunity|\bopen to (?:new |hearing about )?(?:opportunities|roles)|\bnot actively looking|\binterested in (?:hearing|learning) (?:more )?about (?:a|an|this) (?:new )?(?:role|opportunity|position)
"#;

pub(super) const SCAM: &str = r#"
selected_remote 1.0 A \byou(?:'ve| have) been (?:selected|shortlisted|chosen|hired) for (?:a|an|the) (?:[\w-]+ ){0,3}(?:remote|online|part-time|home|work from home)|\byou(?:'ve| have) been (?:selected|chosen|hired)\b[^.]{0,60}\bremote\b
found_resume 0.5 A \b(?:reviewed|saw|found|came across|viewed) your (?:resume|cv|profile) (?:on|at|via|in)\b
messenger 0.6 A \btelegram\b|\bwhatsapp\b|\bsignal app\b|\bhangouts chat
easy_money 0.6 A \bdata[- ]entry\b|\bno (?:prior )?experience (?:needed|required|necessary)|\bearn (?:up to )?[$£€]|\bper week from home|\bwork from (?:home|anywhere) and earn|\bcheck (?:to|for) (?:purchase|buy)|\bpurchase (?:equipment|office supplies)|\b(?:send|provide) (?:us )?your (?:bank|ssn|social security)|[$£€]\s?\d+[^.]{0,15}\b(?:weekly|per week|a week|/week|/wk)\b|\bmystery shopper|\bpayment processing agent|\breship|\bno interview (?:needed|required)|\bwire transfer|\bcashier'?s check
"#;

pub(super) const CONTEXT: &str = r#"
applied 1.0 A \byou (?:recently |previously )?applied\b|\byour (?:recent )?(?:application|candidacy|candidature)\b|\bthank(?:s| you) for (?:applying|your application)|\byour (?:interview|assessment|conversation|call) (?:with|on|last)\b|\b(?:ihre|deine) bewerbung|\b(?:votre|ta) candidature|\b(?:tu|su) (?:candidatura|solicitud)
"#;
