"""French questions glossed word by word into English, for MiniLM to read.

all-MiniLM-L6-v2 was trained on English: on French text it puts the right
entry first for two French questions in three, against nine English ones in
ten. Glossed into rough English ("jai combien de temps pr renvoyer un truc"
gives "i have how long for send back a thing"), the same questions read
almost as well as English ones. Only the sentence embedding sees the gloss:
the character n-grams and the stemmed words still match the French text.

The glossary covers the words of the French entries and of the development
questions, and the grammar words (pronouns, articles, auxiliaries, question
words). A word not in it is looked up by its stem ("remboursera" is glossed
as "remboursement" is), then with its elided article split off ("jai",
"lodeur"), then as the closest glossed word when it is one typo away
("remboursment"); otherwise it stays as it is (place names, brands, and the
many words French and English share: "article", "express", "options").
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from crm.customers.models import Language
from crm.knowledge.words import stem

# Phrases first, longest first: word order and idioms that word-by-word
# glossing would lose ("point relais" is a "relay point", "c est quoi" asks
# "what is"). French side folded, as `text.normalize` leaves it.
_PHRASES = """
a la place de=instead of|a la place=instead|a partir de=from|a temps=in time
a domicile=at home|a nouveau=again|au lieu de=instead of|aujourd hui=today
autre chose=something else|bas carbone=low carbon|bon d achat=voucher
bon de retour=return slip|boite aux lettres=letterbox|brosse a dent=toothbrush
brosse a dents=toothbrush|brosses a dents=toothbrushes|c est quoi=what is
carte bancaire=bank card|carte d identite=id card|code postal=postcode
code promo=promo code|combien de temps=how long|combien de jours=how many days
de nouveau=again|de plus=more|delai de retour=return period|dom tom=overseas
delai de livraison=delivery time|emballage d origine=original packaging
en cours=in progress|en retard=late|en stock=in stock|est ce que=|il y a=there is
frais d envoi=shipping costs|frais de livraison=delivery costs|y a=there is
frais de port=shipping costs|frais de retour=return costs|fin de=end of
heure limite=cutoff time|jours feries=public holidays|jours ouvres=working days
jour ouvre=working day|jusqu a=until|le lendemain=the next day|le meme=the same
livraison a domicile=home delivery|livraison gratuite=free delivery
mode de paiement=payment method|moyen de paiement=payment method
mondial relay=mondial relay relay point|n importe=any|ne plus=no longer
numero de commande=order number|numero de suivi=tracking number|pas encore=not yet
piece d identite=id card|plutot que=rather than|point relais=relay point
points relais=relay points|point retrait=pickup point|qu est ce que=what
quelque chose=something|quelqu un=someone|rupture de stock=out of stock
royaume uni=united kingdom|service client=customer service|tout de suite=right now
velo cargo=cargo bike|week end=weekend|lunch box=lunch box|tote bag=tote bag
me plait pas=i do not like|me plait=i like|plait pas=do not like
veux plus=no longer want|veulent plus=no longer want
veut plus=no longer wants|marche plus=no longer works|fonctionne plus=no longer works
s il vous plait=please|s il te plait=please|c est=it is|est ce qu=|a velo=by bike
compte bancaire=bank account|en cours=in progress|je sais pas=i do not know
"""

# Single words, "french=english" ("_" joins an English phrase). Forms that
# share a stem need one entry only; the most frequent are spelled out.
_WORDS = """
a=to ai=have aide=help aider=help aime=like ajoute=added ajouter=add
abord=first accepter=accept acceptez=accept accessoires=accessories
accident=accident achat=purchase achats=purchases achete=bought acheter=buy
achetes=bought adresse=address adresses=addresses afficher=show ailleurs=elsewhere
alimentaire=food alimentaires=food aller=go alors=so ami=friend ancienne=old
annulation=cancellation annule=cancelled annulee=cancelled annuler=cancel
annulez=cancel apparait=appears apparemment=apparently appartement=flat
apres=after argent=money arretez=stop arrive=arrived arrivee=arrival
arriver=arrive arrivera=will_arrive arrives=arrived as=have attends=wait
attente=waiting au=to aupres=with aurait=would_have aussi=also autant=so_much
autre=other autres=others aux=to avais=had avancer=pay_upfront avant=before
avec=with avez=have aviez=had avis=mind avoir=credit avoirs=credits avons=have
bambou=bamboo barre=bar bas=low beaucoup=a_lot belgique=belgium besoin=need
bien=well bienvenue=welcome blague=joke bleue=blue blister=blister bloque=stuck
bocal=jar bocaux=jars boite=box bon=good bonjour=hello bouge=moves
boulot=work bout=end bouteille=bottle boutique=shop brexit=brexit brise=broken
brode=embroidered brosse=brush bruxelles=brussels bureau=office c=it ca=it
cabosse=dented cadeau=gift cafe=coffee camion=truck capitale=capital
carbone=carbon carte=card carton=box cas=case casse=broken cassee=broken
ce=this cela=that celle=the_one celui=the_one certain=some certaines=some
certains=some ces=these cest=it_is cet=this cette=this chacun=each chaque=each
change=changed changer=change charge=expense chaussettes=socks cher=expensive
chere=expensive chercher=fetch chez=at cheque=cheque choisir=choose
choisissez=choose chose=thing citron=lemon client=customer colis=parcel
collez=stick combien=how_much comme=like commence=starts commencer=start
commande=order commandee=ordered commander=order commandes=orders
commercant=shop commerce=shop comment=how complet=complete composteur=composter
comprise=included compte=account compter=count comptez=count concerne=concerned
confiture=jam conseilles=recommend contenait=contained contenu=contents
contre=for convient=suits correspond=matches corriger=correct cosmetiques=cosmetics
coule=leaks coursier=courier coursiers=couriers cout=cost coute=costs
couvercle=lid credit=credit crois=think cup=cup cups=cups d=of dans=in de=of
dechire=torn decider=decide deduisez=deduct deduit=deducted deduite=deducted
defectueux=faulty degats=damage deja=already dela=beyond delai=time
delais=times demain=tomorrow demander=ask demarques=marked_down
demenage=moved_house dent=tooth dents=teeth deo=deodorant deodorant=deodorant
depart=departure depassee=passed depense=spend depenser=spend depose=left
deposer=drop_off deposez=drop_off depuis=since dernier=last derniere=last
des=some desoles=sorry desservie=served dessus=above deux=two devait=was_due
devant=in_front devient=becomes differentes=different dire=say directement=directly
disparu=gone dispo=available disponible=available distribue=delivered dit=says
dois=must doit=must domicile=home donnez=give dont=which dorigine=original
douce=soft droit=right du=of_the durable=sustainable e=e echange=exchange
echangeables=exchangeable echangees=exchanged echanger=exchange echanges=exchanges
eco=eco ecologique=eco ecolo=eco ecrase=crushed ecrasee=crushed ebreche=chipped
elle=it elles=they emballage=packaging emballe=packed emballez=pack
emettons=issue emis=issued emission=emission empecher=stop en=in encore=still
endommage=damaged enfin=finally enlever=remove enlevez=remove enquete=inquiry
enregistrons=record ensuite=then entame=opened entier=whole entrepot=warehouse
envoi=shipping envoie=send envoye=sent envoyer=send envoyez=send envoyons=send
equipe=team erreur=mistake errone=wrong es=are espagne=spain especes=cash
essai=try essaye=tried essayer=try est=is et=and etait=was etapes=steps
etat=condition ete=been etes=are etiquette=label etiquettes=labels etranger=abroad
etre=be eu=had euros=euros exactement=exactly exceptions=exceptions exclus=excluded
exclut=excludes exemplaire=copy exemple=example expedie=shipped expediee=shipped
expedier=ship expediez=ship expedition=dispatch expiree=expired explose=shattered
facons=ways facturez=charge faire=do fais=do faisait=was faites=do fait=done
faits=done faut=must faute=fault fausse=wrong faux=wrong fele=cracked
fendu=cracked fendue=cracked ferme=close feries=holidays fissure=cracked
fois=time fonctionne=works formulaire=form fort=strong foutu=ruined frais=costs
franco=free francais=french francaise=french friday=friday fuit=leaks
fuite=leak fuyait=leaked gagne=won garde=keeps garder=keep gardien=caretaker
geneve=geneva gourde=water_bottle grain=bean granola=granola gratte=scratches
gratuit=free gratuite=free gratuits=free grave=engraved gravee=engraved
graver=engrave graves=engraved habite=live heure=hour heures=hours hier=yesterday
hors=outside hs=broken humain=human hygiene=hygiene ici=here identifie=identified
identique=identical identite=identity il=it ils=they immeuble=building
imprimante=printer imprime=print imprimer=print inclus=included incomplet=incomplete
incomplete=incomplete indique=shows integral=full international=international
internationale=international introuvable=missing isotherme=insulated j=i
jadore=i_love jai=i_have jamais=never jarrive=i_manage jattends=i_wait
jdois=i_must je=i jen=i jete=threw_away jhabite=i_live jour=day journee=day
jours=days jusqu=until jusqua=until juste=just l=the la=the lai=have_it
laisse=left lampe=lamp larrivee=arrival lavande=lavender lave=washed le=the
lendemain=next_day les=the lettres=letters leur=their leurs=their lieu=place
limite=limit livraison=delivery livraisons=deliveries livre=delivered livree=delivered
livrer=deliver livreur=driver livrez=deliver livrons=deliver lodeur=the_smell
loi=law londres=london long=long longtemps=long lors=at lundi=monday m=me ma=my
magasin=shop mail=email main=hand maintenant=now mais=but maison=home manque=missing
manquant=missing marche=works mardi=tuesday marque=marked mars=march
match=match matin=morning mauvais=wrong mauvaise=wrong mavez=you_have_me me=me
meme=same memes=same menstruelle=menstrual menstruelles=menstrual mere=mother
merci=thanks mes=my mesure=measure met=takes mettre=put mien=mine miel=honey
miettes=crumbs mille=thousand minimum=minimum mis=put mode=method modele=model
modes=methods modification=change modifiee=changed modifier=change moi=me
moins=less moitie=half moment=moment mon=my montant=amount montrons=show
morceaux=pieces moyen=means mug=mug n=not ne=not neuf=new ni=nor nom=name
nombre=number non=no normal=normal nos=our note=noted notre=our nourriture=food
nous=we nouveau=new nouvel=new nouvelle=new numero=number obligatoire=compulsory
obtenir=get offert=free offerte=free offerts=free offre=offer offrez=offer
ok=ok on=we ont=have option=option options=options origine=origin ou=or
oublie=forgot ouvert=opened ouverte=opened ouverts=open ouvres=working
ouvrir=open paie=pay paiement=payment panier=basket panne=broken paquet=package
par=by parce=because parents=parents parfait=perfect parfois=sometimes
parfum=scent parte=leaves partenaire=partner parti=gone partie=part
partir=leave partout=everywhere parvient=reaches pas=not passe=placed passee=placed
passer=place passez=place payant=paid payante=paid paye=paid payer=pay pays=country
pendant=during perd=loses perdu=lost perissable=perishable permet=allows
personnalise=personalised personnalises=personalised petit=small peut=can
peuvent=can peux=can photo=photo piece=piece place=place plaid=throw plait=please
plu=liked plus=anymore plutot=rather point=point points=points politique=policy
port=shipping porte=worn possible=possible possibles=possible postal=postal
poste=post_office pot=pot pour=for pourquoi=why pouvez=can pouvons=can
prefere=prefer premier=first prend=takes prendre=take prenez=take prenom=first_name
preparation=packing pres=near presentez=show prevu=expected prevue=expected
prix=price privees=private probleme=problem proceder=proceed procedure=procedure
proche=near produit=product produits=products profite=use promis=promised
promise=promised promo=sale promos=sales promotion=discount promotions=discounts
propre=clean proposee=offered proposees=offered proposez=offer proposons=offer
puis=then qu=that quand=when quantite=quantity quantites=quantities quatre=four
que=that quel=which quelle=which quelles=which quels=which quelques=some
qui=who quil=that_it quitte=leaves quoi=what raconte=tell raison=reason
rajouter=add rallonge=extends rapide=fast raye=scratched recevez=receive
recevoir=receive reception=receipt recoit=receives recois=receive recrutez=hiring
recu=received recue=received recuperer=collect recuperez=collect reduc=discount
reduction=discount reduit=reduced reellement=really refuse=refuse refuser=refuse
regarder=look regles=rules regrouper=combine relais=relay remballer=repack
rembourse=refunded remboursee=refunded remboursement=refund rembourser=refund
remboursez=refund remis=handed_over remplacement=replacement remplacer=replace
renvoi=return renvoie=send_back renvoyer=send_back renvoye=sent_back
renvoyees=sent_back renvoyez=send_back renvoyons=send_back repas=meal
reprenez=take_back repris=taken_back reprises=taken_back reseau=network
responsable=responsible reste=rest retard=delay retardee=delayed retenez=keep
retenu=kept retire=removed retirer=remove retour=return retournable=returnable
retourne=returned retournee=returned retourner=return retournes=returned
retournez=return retours=returns retractation=withdrawal retrait=pickup
revient=comes_back rien=nothing royaume=kingdom rue=street rupture=shortage
s=if sa=its sac=bag samedi=saturday sans=without sauf=except savon=soap
savons=soaps se=itself selon=according_to semaine=week semaines=weeks sent=smells
sera=will_be serai=will_be seuil=threshold seul=single seulement=only si=if
signalez=report simple=simple sinon=otherwise site=website soir=evening soit=is
solaire=solar solde=sale soldes=sale solide=solid sommes=are son=its sont=are
sortes=kinds sorti=out sous=within speciale=special standard=standard statut=status
stopper=stop suis=am suisse=switzerland suivant=next suivantes=next suivent=follow
suivi=tracking suivre=follow super=very sur=on svp=please t=you ta=your tant=as_long
tard=late tarif=price tarifs=prices taille=size te=you telecharger=download
temps=time tes=your teste=tried the=tea thermos=flask tissu=fabric toi=you
tombe=fell ton=your torchon=tea_towel tordue=bent total=total totalite=whole
toujours=still tous=all tout=all toute=all trajet=journey transit=transit
transporteur=carrier travail=work travaillez=work trois=three trompe=mistaken
trompes=mistaken trop=too troue=holed trouve=found trouver=find trouverez=find
truc=thing trucs=things tu=you un=a une=a uni=united usage=use utilise=used
utilisee=used utilisez=use va=goes vais=will velo=bike vendez=sell
vendredi=friday vendues=sold vendus=sold ventes=sales verifie=check
verifiez=check verre=glass verres=glasses verte=green veux=want vide=empty
viens=just ville=city villes=cities vis=live voir=see voiture=car voisin=neighbour
voisins=neighbours vole=stolen vos=your votre=your votres=yours voudrais=would_like
voulez=want vous=you vrai=real vu=seen y=there zero=zero
abime=damaged abimee=damaged abimes=damaged allemagne=germany allume=turns_on
angleterre=england bancaire=bank banque=bank chocolat=chocolate confies=entrust
couleur=colour couleurs=colours deballe=unpacked dentifrice=toothpaste
destockage=clearance donc=so huile=oil ira=will_go italie=italy membre=member
mois=month remboursons=refund rendre=give_back rends=give_back rendu=given_back
servi=used shampoing=shampoo souhaiterais=would_like supprimer=delete vers=to
virement=bank_transfer pense=think penser=think sais=know sait=know savoir=know
vient=comes venir=come devez=must devrais=should pourrais=could
pourriez=could voudrait=would_like voulais=wanted veulent=want vont=go
"""

_DONE = "="  # marks a phrase already in English (no "=" is left after folding)
# Glued elisions customers type ("jai", "lodeur"), tried on unknown words.
_ELIDED = ("qu", "j", "l", "d", "m", "t", "s", "n", "c")
# A typo is a word this close to a glossed one (difflib ratio), if 6+ letters.
_TYPO_RATIO = 0.9
_TYPO_LENGTH = 6


def _parse_phrases(table: str) -> tuple[tuple[str, str], ...]:
    pairs = [item.split("=") for item in table.replace("\n", "|").split("|") if item]
    # Padded with spaces to match whole words, the longest phrase first; the
    # English is marked as done, so that the word pass leaves it as it is.
    found = [(f" {fr} ", f" {_DONE}{en.replace(' ', '_')} ") for fr, en in pairs]
    return tuple(sorted(found, key=lambda pair: -len(pair[0])))


def _parse_words(table: str) -> dict[str, str]:
    words: dict[str, str] = {}
    for item in table.split():
        french, english = item.split("=")
        if french in words:
            raise ValueError(f"glossary: {french!r} given twice")
        words[french] = english.replace("_", " ")
    return words


PHRASES = _parse_phrases(_PHRASES)
WORDS = _parse_words(_WORDS)


def _by_stem(words: dict[str, str]) -> dict[str, str]:
    """The English of each stem, from its shortest glossed form."""
    stems: dict[str, str] = {}
    for french in sorted(words, key=lambda word: (len(word), word)):
        stems.setdefault(stem(french, Language.FR), words[french])
    return stems


_STEMS = _by_stem(WORDS)
_KNOWN = sorted(WORDS)


def gloss(normalized: str) -> str:
    """A French text, as `text.normalize` leaves it, in rough English."""
    padded = f" {normalized} "
    for french, english in PHRASES:
        padded = padded.replace(french, english)
    return " ".join(filter(None, (_word_or_done(w) for w in padded.split())))


def _word_or_done(word: str) -> str:
    if word.startswith(_DONE):
        return word[1:].replace("_", " ")
    return _word(word)


@lru_cache(maxsize=20_000)
def _word(word: str) -> str:
    """One word's English, or the word itself when the glossary has none."""
    found = _lookup(word)
    if found is not None:
        return found
    for article in _ELIDED:
        rest = word.removeprefix(article)
        if rest != word and len(rest) > 2:
            found = _lookup(rest)
            if found is not None:
                return f"{_lookup(article) or article} {found}"
    if len(word) >= _TYPO_LENGTH and not word.isdigit():
        close = difflib.get_close_matches(word, _KNOWN, n=1, cutoff=_TYPO_RATIO)
        if close:
            return WORDS[close[0]]
    return word


def _lookup(word: str) -> str | None:
    if word in WORDS:
        return WORDS[word]
    return _STEMS.get(stem(word, Language.FR)) if len(word) > 3 else None
