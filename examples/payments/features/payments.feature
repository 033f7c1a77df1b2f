Feature: Settling payments
  Checkout asks for a payment with a PaymentRequested command on the
  PaymentRequests queue. The payments function settles it once, writes one
  ledger entry and announces PaymentSettled on the payments bus; the
  receipts function keeps one receipt per settled payment.

  Background:
    Given the system is deployed from its template
    And events on the "PaymentsBus" bus are observed
    And a "PaymentRequested" command with:
      """
      {"paymentId": "pay-0001", "account": "acc-42", "amount": 1250, "currency": "EUR"}
      """

  Scenario: A payment request is settled, announced and receipted
    When it is sent to the "PaymentRequests" queue
    And the system settles
    Then exactly one "PaymentSettled" event is published
    And every published event conforms to its contract
    And the "LedgerTable" table holds one item
    And the "ReceiptsTable" item "pay-0001" has "amount" equal to "1250"

  Scenario: A request delivered three times is charged once
    When it is sent to the "PaymentRequests" queue
    And it is delivered 3 times
    And the system settles
    Then the "LedgerTable" table holds one item
    And exactly one "PaymentSettled" event is published
    And the "ReceiptsTable" table holds one item

  Scenario: A request the contract refuses is dead-lettered, not charged
    Given the "PaymentRequested" command with "amount" set to 0
    Then the message breaks its contract at "/amount"
    When it is sent to the "PaymentRequests" queue
    And the system settles
    Then the "LedgerTable" table holds no items
    And the "PaymentRequestsDLQ" queue holds one message
    And no "PaymentSettled" events are published
