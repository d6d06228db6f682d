"""The ops dashboard's words, in French and English (merged into bot.messages)."""

from __future__ import annotations

from typing import Final

OPS_MESSAGES: Final[dict[str, dict[str, str]]] = {
    "ops_title": {"fr": "Tableau de bord", "en": "Dashboard"},
    "ops_from": {"fr": "Du", "en": "From"},
    "ops_to": {"fr": "au", "en": "to"},
    "ops_apply": {"fr": "Afficher", "en": "Show"},
    "ops_loading": {"fr": "Chargement…", "en": "Loading…"},
    "ops_failed": {
        "fr": "Ces chiffres n'ont pas pu être chargés ({error}). Réessayez.",
        "en": "These figures could not be loaded ({error}). Please try again.",
    },
    "ops_wrong_role": {
        "fr": "Votre compte n'a pas accès au tableau de bord ; connectez-vous avec "
        "un compte « ops » ou administrateur.",
        "en": "Your account cannot open the dashboard; log in with an ops or "
        "administrator account.",
    },
    "ops_bad_range": {
        "fr": "La date de fin est avant la date de début : corrigez l'une des deux.",
        "en": "The end date is before the start date: correct one of them.",
    },
    "ops_logout": {"fr": "Se déconnecter", "en": "Log out"},
    "ops_csv": {"fr": "CSV", "en": "CSV"},
    "ops_none": {"fr": "Rien sur cette période.", "en": "Nothing in this period."},
    "ops_of": {"fr": "{part} sur {whole}", "en": "{part} of {whole}"},
    "ops_alerts": {"fr": "Alertes", "en": "Alerts"},
    "ops_no_alert": {"fr": "Aucune alerte aujourd'hui.", "en": "No alert today."},
    "ops_alert_carrier_on_time": {
        "fr": "{label} : {current} de livraisons à l'heure sur 7 jours "
        "(habituellement {usual}, seuil {threshold}), sur {volume} livraisons",
        "en": "{label}: {current} of deliveries on time over 7 days "
        "(usually {usual}, threshold {threshold}), out of {volume} deliveries",
    },
    "ops_alert_region_on_time": {
        "fr": "Département {label} : {current} de livraisons à l'heure sur 7 "
        "jours (habituellement {usual}, seuil {threshold}), sur {volume} "
        "livraisons",
        "en": "Département {label}: {current} of deliveries on time over 7 days "
        "(usually {usual}, threshold {threshold}), out of {volume} deliveries",
    },
    "ops_alert_product_stock_out": {
        "fr": "{label} : en rupture pour {current} des lignes commandées sur 7 "
        "jours (habituellement {usual}, alerte à {threshold}), sur {volume} "
        "lignes",
        "en": "{label}: out of stock for {current} of the lines ordered over 7 "
        "days (usually {usual}, alert at {threshold}), out of {volume} lines",
    },
    "ops_alert_product_returns": {
        "fr": "{label} : {current} des unités vendues renvoyées sur 7 jours "
        "(habituellement {usual}, alerte à {threshold}), sur {volume} unités",
        "en": "{label}: {current} of the units sold sent back over 7 days "
        "(usually {usual}, alert at {threshold}), out of {volume} units",
    },
    "ops_satisfaction": {"fr": "Satisfaction", "en": "Satisfaction"},
    "ops_csat": {"fr": "CSAT (4-5 étoiles)", "en": "CSAT (4-5 stars)"},
    "ops_nps": {"fr": "NPS", "en": "NPS"},
    "ops_ces": {"fr": "Effort (CES, 1-7)", "en": "Effort (CES, 1-7)"},
    "ops_response_rate": {"fr": "Taux de réponse", "en": "Response rate"},
    "ops_answers": {"fr": "Réponses", "en": "Answers"},
    "ops_weekly": {"fr": "Par semaine", "en": "By week"},
    "ops_by_carrier": {"fr": "Par transporteur", "en": "By carrier"},
    "ops_by_category": {"fr": "Par catégorie", "en": "By category"},
    "ops_by_language": {"fr": "Par langue", "en": "By language"},
    "ops_by_channel": {"fr": "Par canal de résolution", "en": "By resolution channel"},
    "ops_topics": {"fr": "Sujets des commentaires", "en": "Comment topics"},
    "ops_topic": {"fr": "Sujet", "en": "Topic"},
    "ops_negative": {"fr": "Négatifs", "en": "Negative"},
    "ops_examples": {"fr": "Exemples", "en": "Examples"},
    "ops_detractors": {"fr": "Clients à rappeler", "en": "Customers to follow up"},
    "ops_customer": {"fr": "Client", "en": "Customer"},
    "ops_order": {"fr": "Commande", "en": "Order"},
    "ops_carrier": {"fr": "Transporteur", "en": "Carrier"},
    "ops_category": {"fr": "Catégorie", "en": "Category"},
    "ops_language": {"fr": "Langue", "en": "Language"},
    "ops_channel": {"fr": "Canal", "en": "Channel"},
    "ops_scores": {"fr": "Notes", "en": "Scores"},
    "ops_comment": {"fr": "Commentaire", "en": "Comment"},
    "ops_follow_up": {
        "fr": "Créer une tâche de rappel",
        "en": "Create a follow-up task",
    },
    "ops_follow_up_done": {"fr": "Tâche dans la file", "en": "Task in the queue"},
    "ops_logistics": {"fr": "Logistique", "en": "Logistics"},
    "ops_on_time": {"fr": "Livraisons à l'heure", "en": "On-time deliveries"},
    "ops_preparation": {"fr": "Préparation (h)", "en": "Preparation (h)"},
    "ops_delivery_days": {"fr": "Livraison (jours)", "en": "Delivery (days)"},
    "ops_cost_per_order": {
        "fr": "Coût logistique / commande",
        "en": "Logistics cost / order",
    },
    "ops_costs_monthly": {"fr": "Coûts par mois", "en": "Costs by month"},
    "ops_costs_carrier": {"fr": "Coûts par transporteur", "en": "Costs by carrier"},
    "ops_month": {"fr": "Mois", "en": "Month"},
    "ops_outbound": {"fr": "Aller", "en": "Outbound"},
    "ops_return_cost": {"fr": "Retour", "en": "Return"},
    "ops_products": {"fr": "Produits", "en": "Products"},
    "ops_return_rate": {"fr": "Taux de retour", "en": "Return rate"},
    "ops_top_reasons": {"fr": "Motifs principaux", "en": "Top reasons"},
    "ops_stock_outs": {"fr": "Ruptures de stock", "en": "Stock-outs"},
    "ops_product": {"fr": "Produit", "en": "Product"},
    "ops_rate": {"fr": "Taux", "en": "Rate"},
    "ops_support": {"fr": "Service client", "en": "Customer service"},
    "ops_conversations": {"fr": "Conversations", "en": "Conversations"},
    "ops_containment": {
        "fr": "Résolues sans conseiller",
        "en": "Solved without a person",
    },
    "ops_wismo": {
        "fr": "« Où est ma commande ? » / 100 commandes",
        "en": '"Where is my order?" / 100 orders',
    },
    "ops_first_response": {
        "fr": "Première réponse (médiane, min)",
        "en": "First response (median, min)",
    },
    "ops_handoff_reasons": {"fr": "Transferts par motif", "en": "Handoffs by reason"},
    "ops_reason": {"fr": "Motif", "en": "Reason"},
    "ops_agents": {"fr": "Par conseiller", "en": "By agent"},
    "ops_agent": {"fr": "Conseiller", "en": "Agent"},
    "ops_notice_effect": {
        "fr": "Retards prévenus : clients qui ont quand même demandé",
        "en": "Delays told first: customers who still asked",
    },
    "ops_notified": {"fr": "Prévenus", "en": "Told first"},
    "ops_not_notified": {"fr": "Non prévenus", "en": "Not told"},
}
