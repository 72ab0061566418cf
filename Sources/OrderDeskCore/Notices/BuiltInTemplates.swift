/// The notice templates OrderDesk ships, in English and Finnish (see ``NoticeTemplate`` for the
/// form). A shop changes them by putting its own files in the store's `templates/` folder; these
/// are the same texts, so copying one there is the way to start.
enum BuiltInTemplates {
    static let english: [NoticeKind: String] = [
        .cancel: """
        Subject: Your order {order} has been cancelled

        Hello {first_name},
        [!first_name] Hello,

        [reason=customer] We have cancelled your order {order} as you asked us to.
        [reason=inventory] We have cancelled your order {order} because one or more of its items are no longer available.
        [reason=fraud] We have cancelled your order {order} because we could not verify the payment details.
        [reason=declined] We have cancelled your order {order} because the payment was declined.
        [reason=shipping] We have cancelled your order {order} because of a problem with delivering it to you.
        [reason=staff] We have cancelled your order {order} because of an error on our side, for which we apologise.
        [reason=other] We have cancelled your order {order} because we are unable to fulfil it.
        \(RefundLines.english)
        A refund of {owed} will follow shortly; we will let you know when it is on its way.
        [paid] The rest of the payment, {voided}, was never charged: that authorization has been released.
        [!paid] You have not been charged: the payment authorization of {voided} has been released.
        [!refund, !owed, !voided, already_refunded] Your payment has already been refunded.
        [!refund, !owed, !voided, !already_refunded] You have not been charged.

        As a small apology: {offer}

        If you have any questions, just reply to this message.
        """,
        .refund: """
        Subject: A refund on your order {order}

        Hello {first_name},
        [!first_name] Hello,

        \(RefundLines.english)
        [!refund] A refund of {owed} will follow shortly; we will let you know when it is on its way.
        [!refund, !owed] There is no payment to refund on order {order}.

        If you have any questions, just reply to this message.
        """,
        .return: """
        Subject: Your return for order {order}

        Hello {first_name},
        [!first_name] Hello,

        [returned=1] We have received the item you sent back from order {order}.
        [!returned=1] We have received the {returned} items you sent back from order {order}.
        [removed=1] We have taken the item that had not been sent yet off order {order}.
        [!removed=1] We have taken the {removed} items that had not been sent yet off order {order}.
        \(RefundLines.english)
        [!refund] A refund of {owed} will follow shortly; we will let you know when it is on its way.
        [!refund, !owed] There is no payment to refund on order {order}.

        If you have any questions, just reply to this message.
        """,
        .change: """
        Subject: A change to your order {order}

        Hello {first_name},
        [!first_name] Hello,

        [removed=1] We have taken the item that had not been sent yet off order {order}.
        [!removed=1] We have taken the {removed} items that had not been sent yet off order {order}.
        \(RefundLines.english)
        [!refund] A refund of {owed} will follow shortly; we will let you know when it is on its way.
        [!refund, !owed] There is no payment to refund on order {order}.

        If you have any questions, just reply to this message.
        """,
        .recreate: """
        Subject: Your order {order} is back as {new_order}

        Hello {first_name},
        [!first_name] Hello,

        We are sorry: your order {order} was cancelled by mistake. It lives on as order {new_order}, with the same items.
        Your payment of {moved} has moved to the new order; {due} remains to pay, and we will be in touch about it.
        [moved, !due] Your payment has moved to the new order; there is nothing more to pay.
        [!moved] The new order is awaiting payment of {total}; we will be in touch about it.

        Please use the new number {new_order} if you contact us. Again, our apologies.
        """,
        .message: """
        Subject: About your order {order}

        {message}
        """,
    ]

    static let finnish: [NoticeKind: String] = [
        .cancel: """
        Subject: Tilauksesi {order} on peruttu

        Hei {first_name},
        [!first_name] Hei,

        [reason=customer] Olemme perineet tilauksesi {order} pyyntösi mukaisesti.
        [reason=inventory] Olemme perineet tilauksesi {order}, koska osa sen tuotteista ei ole enää saatavilla.
        [reason=fraud] Olemme perineet tilauksesi {order}, koska emme pystyneet vahvistamaan maksutietoja.
        [reason=declined] Olemme perineet tilauksesi {order}, koska maksu hylättiin.
        [reason=shipping] Olemme perineet tilauksesi {order}, koska sen toimittamisessa sinulle oli ongelma.
        [reason=staff] Olemme perineet tilauksesi {order} oman virheemme vuoksi. Pahoittelemme tapahtunutta.
        [reason=other] Olemme perineet tilauksesi {order}, koska emme pysty toimittamaan sitä.
        \(RefundLines.finnish)
        Palautamme sinulle {owed} lähiaikoina ja ilmoitamme, kun rahat ovat matkalla.
        [paid] Maksun loppuosaa ({voided}) ei veloitettu koskaan: sen katevaraus on vapautettu.
        [!paid] Sinulta ei ole veloitettu mitään: maksun katevaraus ({voided}) on vapautettu.
        [!refund, !owed, !voided, already_refunded] Maksusi on jo palautettu.
        [!refund, !owed, !voided, !already_refunded] Sinulta ei ole veloitettu mitään.

        Pahoittelun merkiksi: {offer}

        Jos sinulla on kysyttävää, vastaa tähän viestiin.
        """,
        .refund: """
        Subject: Hyvitys tilaukseesi {order}

        Hei {first_name},
        [!first_name] Hei,

        \(RefundLines.finnish)
        [!refund] Palautamme sinulle {owed} lähiaikoina ja ilmoitamme, kun rahat ovat matkalla.
        [!refund, !owed] Tilauksesta {order} ei ole palautettavaa maksua.

        Jos sinulla on kysyttävää, vastaa tähän viestiin.
        """,
        .return: """
        Subject: Palautuksesi tilauksesta {order}

        Hei {first_name},
        [!first_name] Hei,

        [returned=1] Olemme vastaanottaneet tuotteen, jonka palautit tilauksesta {order}.
        [!returned=1] Olemme vastaanottaneet {returned} tuotetta, jotka palautit tilauksesta {order}.
        [removed=1] Olemme poistaneet tilauksesta {order} tuotteen, jota ei ollut vielä lähetetty.
        [!removed=1] Olemme poistaneet tilauksesta {order} {removed} tuotetta, joita ei ollut vielä lähetetty.
        \(RefundLines.finnish)
        [!refund] Palautamme sinulle {owed} lähiaikoina ja ilmoitamme, kun rahat ovat matkalla.
        [!refund, !owed] Tilauksesta {order} ei ole palautettavaa maksua.

        Jos sinulla on kysyttävää, vastaa tähän viestiin.
        """,
        .change: """
        Subject: Muutos tilaukseesi {order}

        Hei {first_name},
        [!first_name] Hei,

        [removed=1] Olemme poistaneet tilauksesta {order} tuotteen, jota ei ollut vielä lähetetty.
        [!removed=1] Olemme poistaneet tilauksesta {order} {removed} tuotetta, joita ei ollut vielä lähetetty.
        \(RefundLines.finnish)
        [!refund] Palautamme sinulle {owed} lähiaikoina ja ilmoitamme, kun rahat ovat matkalla.
        [!refund, !owed] Tilauksesta {order} ei ole palautettavaa maksua.

        Jos sinulla on kysyttävää, vastaa tähän viestiin.
        """,
        .recreate: """
        Subject: Tilauksesi {order} jatkuu tilauksena {new_order}

        Hei {first_name},
        [!first_name] Hei,

        Pahoittelemme: tilauksesi {order} peruttiin vahingossa. Se jatkuu tilauksena {new_order} samoilla tuotteilla.
        Maksusi {moved} on siirretty uudelle tilaukselle; maksettavaa jää vielä {due}, ja olemme sinuun yhteydessä sen osalta.
        [moved, !due] Maksusi on siirretty uudelle tilaukselle, eikä sinulla ole enää mitään maksettavaa.
        [!moved] Uusi tilaus odottaa maksua ({total}); olemme sinuun yhteydessä sen osalta.

        Käytäthän uutta tilausnumeroa {new_order}, jos otat meihin yhteyttä. Pahoittelemme vielä kerran.
        """,
        .message: """
        Subject: Tilauksestasi {order}

        {message}
        """,
    ]

    /// The lines that say where refunded money went, shared by every notice that gives money back.
    enum RefundLines {
        static let english = """
            We have refunded {refund_gift_card} to your gift card and {refund_original} to your original payment method. Depending on your bank it can take a few days to appear.
            [!refund_original] We have refunded {refund_gift_card} to your gift card.
            [!refund_gift_card] We have refunded {refund_original} to your original payment method. Depending on your bank it can take a few days to appear.
            We have issued {refund_credit} as store credit, ready for your next order.
            """
        static let finnish = """
            Olemme palauttaneet lahjakortillesi {refund_gift_card} ja alkuperäiselle maksutavallesi {refund_original}. Pankista riippuen summan näkyminen tililläsi voi kestää muutaman päivän.
            [!refund_original] Olemme palauttaneet lahjakortillesi {refund_gift_card}.
            [!refund_gift_card] Olemme palauttaneet alkuperäiselle maksutavallesi {refund_original}. Pankista riippuen summan näkyminen tililläsi voi kestää muutaman päivän.
            Olemme myöntäneet sinulle {refund_credit} hyvitystä, jonka voit käyttää seuraavassa tilauksessasi.
            """
    }
}
